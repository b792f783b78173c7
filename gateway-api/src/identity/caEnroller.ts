// Registers and enrolls a gateway user at their organization's Fabric CA (fabric-ca-client), with
// the ecert attributes the chaincode reads: role, userId, marketplace. It registers as the org's
// gateway registrar, a CA identity that may register client identities with those attributes only;
// the registrar is enrolled from its secret on first use and its key stays in memory.
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { OrgConfig } from '../config/gatewayConfig';
import { enrollmentIdOf, type FabricRoleIdentity } from './fabricRoleIdentity';

export interface EnrolledCredentials {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface Enroller {
  enroll(identity: FabricRoleIdentity): Promise<EnrolledCredentials>;
}

interface OrgCa {
  readonly services: FabricCAServices;
  readonly registrar: User;
  readonly mspId: string;
}

export class FabricCaEnroller implements Enroller {
  readonly #cas = new Map<string, Promise<OrgCa>>();

  constructor(private readonly orgs: readonly OrgConfig[]) {}

  async enroll(identity: FabricRoleIdentity): Promise<EnrolledCredentials> {
    const ca = await this.caOf(identity.org);
    const enrollmentID = enrollmentIdOf(identity);
    const enrollmentSecret = crypto.randomBytes(24).toString('base64url');
    const attrs = [
      { name: 'role', value: identity.role, ecert: true },
      { name: 'userId', value: identity.userId, ecert: true },
      { name: 'marketplace', value: identity.org, ecert: true },
    ];
    try {
      await ca.services.register(
        { enrollmentID, enrollmentSecret, role: 'client', affiliation: '', attrs },
        ca.registrar,
      );
    } catch (error) {
      if (!(error instanceof Error) || !/already registered/i.test(error.message)) throw error;
      // Registered earlier (another replica, or a lost store): set a fresh secret and enroll again.
      const response = await ca.services
        .newIdentityService()
        .update(enrollmentID, { enrollmentID, affiliation: '', enrollmentSecret, attrs }, ca.registrar);
      if (!response.success) throw new Error(`CA refused to update ${enrollmentID}`);
    }
    const enrollment = await ca.services.enroll({ enrollmentID, enrollmentSecret });
    return {
      mspId: ca.mspId,
      certificatePem: enrollment.certificate,
      privateKeyPem: enrollment.key.toBytes(),
    };
  }

  /** The org's CA client and its registrar, enrolled once; a failed enrollment is tried again later. */
  private caOf(orgName: string): Promise<OrgCa> {
    let ca = this.#cas.get(orgName);
    if (ca === undefined) {
      const org = this.orgs.find((candidate) => candidate.name === orgName);
      if (org === undefined) return Promise.reject(new Error(`no CA configured for organization ${orgName}`));
      ca = connectCa(org);
      ca.catch(() => this.#cas.delete(orgName));
      this.#cas.set(orgName, ca);
    }
    return ca;
  }
}

async function connectCa(org: OrgConfig): Promise<OrgCa> {
  const services = new FabricCAServices(
    org.caUrl,
    { trustedRoots: [fs.readFileSync(org.caTlsRootCertPath, 'utf8')], verify: true },
    org.caName,
  );
  const { enrollmentId, secret } = org.registrar;
  const enrollment = await services.enroll({ enrollmentID: enrollmentId, enrollmentSecret: secret });
  const registrar = User.createUser(
    enrollmentId,
    '',
    org.mspId,
    enrollment.certificate,
    enrollment.key.toBytes(),
  );
  return { services, registrar, mspId: org.mspId };
}
