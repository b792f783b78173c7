// Registers and enrolls a gateway user at their organization's Fabric CA (fabric-ca-client), with
// the ecert attributes the chaincode reads: role, userId, marketplace. It registers as the org's
// gateway registrar, a CA identity that may register client identities with those attributes only;
// the registrar is enrolled from its secret on first use and its key stays in memory.
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { OrgConfig } from '../config/gatewayConfig';
import { caFailure } from './caUnavailable';
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

/** Enrolls at one org's CA only: the org the gateway acts for. */
export class FabricCaEnroller implements Enroller {
  #ca: Promise<OrgCa> | undefined;

  constructor(private readonly org: OrgConfig) {}

  async enroll(identity: FabricRoleIdentity): Promise<EnrolledCredentials> {
    if (identity.org !== this.org.name)
      throw new Error(`this gateway enrolls at ${this.org.name}'s CA only, not ${identity.org}'s`);
    try {
      return await this.enrollAt(await this.ca(), identity);
    } catch (error) {
      throw caFailure(error);
    }
  }

  private async enrollAt(ca: OrgCa, identity: FabricRoleIdentity): Promise<EnrolledCredentials> {
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
      // Registered earlier (another replica, or a lost store: a new org schema, a rebuilt database):
      // set a fresh secret and enroll again. The CA counts enrollments per identity and registration
      // allowed one, which the earlier enrollment used; the fresh secret, known to this call alone, is
      // what guards the identity, so its count is lifted.
      const response = await ca.services
        .newIdentityService()
        .update(
          enrollmentID,
          { enrollmentID, affiliation: '', enrollmentSecret, attrs, maxEnrollments: -1 },
          ca.registrar,
        );
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
  private ca(): Promise<OrgCa> {
    if (this.#ca === undefined) {
      const ca = connectCa(this.org);
      ca.catch(() => {
        if (this.#ca === ca) this.#ca = undefined;
      });
      this.#ca = ca;
    }
    return this.#ca;
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
