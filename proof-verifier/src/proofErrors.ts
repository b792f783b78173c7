// Why a proof failed: one stable code per kind of failure, in the chaincode's `CODE: detail` form, so
// a console, the SDK and the command line can each say what was wrong without parsing prose.

export const PROOF_ERROR_CODES = [
  /** The bundle is not a proof of this format, or one of its parts does not decode canonically. */
  'PROOF_MALFORMED',
  /** A signer names an MSP the verifier was given no material for (or a peer org signed a block). */
  'PROOF_UNKNOWN_ORGANIZATION',
  /** A signer's certificate does not chain to its MSP's CA certificates, or was not valid then. */
  'PROOF_CERTIFICATE_UNTRUSTED',
  /** An ECDSA signature does not verify over the bytes Fabric signs, or is not low-S. */
  'PROOF_SIGNATURE_INVALID',
  /** A block carries no orderer signature. */
  'PROOF_ORDERER_SIGNATURE_MISSING',
  /** A transaction id is not the hash of its nonce and creator, or is not in its block. */
  'PROOF_TRANSACTION_MISMATCH',
  /** The peers marked a transaction invalid, or it is not an endorser transaction of the chaincode. */
  'PROOF_TRANSACTION_INVALID',
  /** The endorsing organizations do not satisfy the key's endorsement policy of that time. */
  'PROOF_POLICY_UNSATISFIED',
  /** A block's data hash is not the hash of the transactions it carries. */
  'PROOF_DATA_HASH_MISMATCH',
  /** A header's previous hash is not the hash of the header before it, or numbers skip. */
  'PROOF_HASH_CHAIN_BROKEN',
  /** A transition claims a record its transaction did not write to the escrow's key. */
  'PROOF_STATE_MISMATCH',
  /** A peer reports another hash for the proof's latest block. */
  'PROOF_LATEST_BLOCK_MISMATCH',
] as const;

export type ProofErrorCode = (typeof PROOF_ERROR_CODES)[number];

export class ProofError extends Error {
  constructor(
    readonly code: ProofErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ProofError';
  }
}

/** Decodes a part of the bundle; any decoding failure is the bundle's fault, named by `what`. */
export function decoded<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ProofError) throw error;
    throw new ProofError('PROOF_MALFORMED', `${what} does not decode: ${String(error)}`);
  }
}
