// What a verifier trusts, and nothing else: each org's public MSP material (its CA certificates),
// which MSPs order blocks, and the chaincode definition's own endorsement policy (the policy a key
// falls back to before it carries a key-level one). No key, no peer, no gateway.
import { certificateFromPem, type Certificate } from './certificate';
import type { PolicyRule } from './policyEvaluation';

export interface OrganizationMaterial {
  /** The MSP's root CA certificates (its `cacerts/`). */
  readonly caCertificates: readonly Certificate[];
  /** Its intermediate CA certificates (its `intermediatecerts/`), if it has any. */
  readonly intermediateCertificates: readonly Certificate[];
}

export interface ProofTrust {
  readonly organizations: ReadonlyMap<string, OrganizationMaterial>;
  /** MSP IDs whose members may sign blocks (the orderer orgs). */
  readonly ordererMspIds: readonly string[];
  /** The chaincode definition's endorsement policy. */
  readonly chaincodePolicy: PolicyRule;
}

/** An MSP's material from the PEM texts of its CA (and intermediate CA) certificates. */
export function organizationMaterial(
  caPems: readonly string[],
  intermediatePems: readonly string[] = [],
): OrganizationMaterial {
  return {
    caCertificates: caPems.map((pem) => certificateFromPem(pem)),
    intermediateCertificates: intermediatePems.map((pem) => certificateFromPem(pem)),
  };
}

/**
 * The escrow chaincode definition's policy: any two of the application orgs' peers (the runner's
 * `OutOf(2, '<msp>.peer', …)`; scripts' definitionPolicy.ts says why two and not a majority).
 */
export function anyTwoPeersOf(mspIds: readonly string[]): PolicyRule {
  const members = [...new Set(mspIds)].sort();
  return { outOf: 2, rules: members.map((mspId) => ({ signedBy: { mspId, role: 'peer' as const } })) };
}
