// The audit proof of one escrow, as JSON: every transaction that wrote the escrow's key with the
// whole block that holds it (its envelopes, so the data hash can be recomputed, and its orderer
// signatures), and the headers of every block from the first of those blocks to a recent one, so the
// chain of hashes links each transition to the latest block. Binary parts are base64 of Fabric's
// protobuf bytes exactly as the peer returned them; nothing in the bundle is trusted by the verifier.
import { z } from 'zod';
import { base64ToBytes, bytesToBase64 } from './bytes';
import { ProofError } from './proofErrors';

export const PROOF_FORMAT = 'p2p-escrow/proof@1';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const blockNumber = z.string().regex(/^(0|[1-9][0-9]{0,18})$/, 'a block number');

const transitionSchema = z.strictObject({
  txId: z.string().regex(/^[0-9a-f]{64}$/, 'a transaction id'),
  blockNumber,
  /** The peer's validation code for the transaction (0: VALID); peers set it, nobody signs it. */
  validationCode: z.number().int().min(0).max(255),
  /** The escrow's record as the transaction wrote it to the escrow's key (UTF-8); null: deleted. */
  record: z.string().nullable(),
});

const blockSchema = z.strictObject({
  number: blockNumber,
  /** Every envelope of the block, in order. */
  envelopes: z.array(base64).min(1),
  /** The block's SIGNATURES metadata (a common.Metadata). */
  signatures: base64,
});

export const proofBundleSchema = z.strictObject({
  format: z.literal(PROOF_FORMAT),
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  escrowId: z.string().min(1),
  /** Oldest first, in ledger order. */
  transitions: z.array(transitionSchema).min(1),
  /** The blocks that hold the transitions, ascending, each once. */
  blocks: z.array(blockSchema).min(1),
  /** Headers (common.BlockHeader) of every block from `firstHeader` to the latest, consecutive. */
  firstHeader: blockNumber,
  headers: z.array(base64).min(1),
  /** The latest block's SIGNATURES metadata: the orderers vouch for the end of the chain too. */
  latestSignatures: base64,
});

export type ProofBundle = z.infer<typeof proofBundleSchema>;
export type ProofTransition = z.infer<typeof transitionSchema>;
export type ProofBlock = z.infer<typeof blockSchema>;

/** Reads a bundle from its parsed JSON, refusing anything that is not exactly this format. */
export function proofBundleFrom(json: unknown): ProofBundle {
  const result = proofBundleSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : `${issue.path.join('.')}: ${issue.message}`;
    throw new ProofError('PROOF_MALFORMED', `not a ${PROOF_FORMAT} bundle (${where})`);
  }
  return result.data;
}

/** Canonical base64 only: decoders ignore stray padding bits, which would let two texts match. */
export function bytesOf(text: string, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(text);
  } catch {
    throw new ProofError('PROOF_MALFORMED', `${what} is not base64`);
  }
  if (bytesToBase64(bytes) !== text)
    throw new ProofError('PROOF_MALFORMED', `${what} is not canonical base64`);
  return bytes;
}

export function base64Of(bytes: Uint8Array): string {
  return bytesToBase64(bytes);
}
