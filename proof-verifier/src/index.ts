// The audit proof verifier: a pure function of a bundle and the orgs' public MSP material, with no
// network and no Node-only API, so the operator's CLI, the partner SDK and the browser console run
// the same code. Certificates are read and signatures checked with pinned pure-JS libraries.
export { PROOF_ERROR_CODES, ProofError, type ProofErrorCode } from './proofErrors';
export {
  base64Of,
  bytesOf,
  PROOF_FORMAT,
  proofBundleFrom,
  type ProofBlock,
  type ProofBundle,
  type ProofTransition,
} from './proofBundle';
export {
  anyTwoPeersOf,
  organizationMaterial,
  type OrganizationMaterial,
  type ProofTrust,
} from './proofTrust';
export { describePolicy, policyFromEnvelope, type PolicyRule, type PrincipalRole } from './policyEvaluation';
export { escrowKeyOf, verifyProof, type VerifiedProof, type VerifiedTransition } from './proofVerifier';
export { blockHeaderHash } from './blockHashing';
export { bytesToHex } from './bytes';
export { certificateFromPem, type Certificate } from './certificate';
