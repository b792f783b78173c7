// The auditor's "verified" mark, computed in the browser by the same proof verifier the SDK and the
// operator's CLI run: every signature (creator, endorsers, orderers) against the channel members' CA
// certificates, each transition's endorsement policy, each block's data hash and the hash chain up to
// the latest block. The trust anchors come from the gateway's GET /v1/consortium/trust-anchors.
import {
  organizationMaterial,
  ProofError,
  verifyProof,
  type PolicyRule,
  type ProofTrust,
  type VerifiedTransition,
} from '@p2p-escrow/proof-verifier';

export interface TrustAnchorsView {
  readonly members: readonly {
    readonly mspId: string;
    readonly kind: 'peer' | 'orderer';
    readonly rootCertificates: readonly string[];
    readonly intermediateCertificates: readonly string[];
  }[];
  readonly chaincodePolicy: PolicyRule;
}

export type ProofVerdict =
  | { readonly verified: true; readonly transitions: ReadonlyMap<string, VerifiedTransition> }
  | { readonly verified: false; readonly reason: string };

export function trustOf(anchors: TrustAnchorsView): ProofTrust {
  return {
    organizations: new Map(
      anchors.members.map((member) => [
        member.mspId,
        organizationMaterial(member.rootCertificates, member.intermediateCertificates),
      ]),
    ),
    ordererMspIds: anchors.members
      .filter((member) => member.kind === 'orderer')
      .map((member) => member.mspId),
    chaincodePolicy: anchors.chaincodePolicy,
  };
}

/** The whole proof verified, or the first reason it is not (the verifier's `CODE: detail`). */
export function verdictOf(bundle: unknown, anchors: TrustAnchorsView): ProofVerdict {
  try {
    const proof = verifyProof(bundle, trustOf(anchors));
    return {
      verified: true,
      transitions: new Map(proof.transitions.map((transition) => [transition.txId, transition])),
    };
  } catch (error) {
    if (error instanceof ProofError) return { verified: false, reason: error.message };
    return { verified: false, reason: `the verifier failed: ${String(error)}` };
  }
}

/** One timeline row's mark: `verified`, or `not verified: <reason>`. */
export function markOf(verdict: ProofVerdict | null, txId: string): string {
  if (verdict === null) return 'verifying…';
  if (!verdict.verified) return `not verified: ${verdict.reason}`;
  return verdict.transitions.has(txId) ? 'verified' : 'not verified: the transaction is not in the proof';
}
