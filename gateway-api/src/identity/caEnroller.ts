// Registers and enrolls a gateway user at their organization's Fabric CA (fabric-ca-client), with
// the ecert attributes the chaincode reads: role, userId, marketplace.
import { mspKeystoreFile } from '@p2p-escrow/fabric-client';
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  readonly #cas = new Map<string, OrgCa>();

  constructor(private readonly orgs: readonly OrgConfig[]) {}

  async enroll(identity: FabricRoleIdentity): Promise<EnrolledCredentials> {
    const ca = this.caOf(identity.org);
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

  private caOf(orgName: string): OrgCa {
    let ca = this.#cas.get(orgName);
    if (ca === undefined) {
      const org = this.orgs.find((candidate) => candidate.name === orgName);
      if (org === undefined) throw new Error(`no CA configured for organization ${orgName}`);
      const services = new FabricCAServices(
        org.caUrl,
        { trustedRoots: [fs.readFileSync(org.caTlsRootCertPath, 'utf8')], verify: true },
        org.caName,
      );
      const registrar = User.createUser(
        'registrar',
        '',
        org.mspId,
        fs.readFileSync(path.join(org.registrarMspDir, 'signcerts', 'cert.pem'), 'utf8'),
        fs.readFileSync(mspKeystoreFile(org.registrarMspDir), 'utf8'),
      );
      ca = { services, registrar, mspId: org.mspId };
      this.#cas.set(orgName, ca);
    }
    return ca;
  }
}
