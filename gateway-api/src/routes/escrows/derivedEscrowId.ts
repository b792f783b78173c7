// The id of an escrow created without a client-chosen `escrowId`. It is derived from the caller and
// the request's Idempotency-Key, never drawn at random: a retry of the same create (even after its
// idempotency lease ran out) names the same escrow, so the chaincode answers ESCROW_EXISTS instead
// of opening a second one, and the retry finds the first attempt's commit.
import * as crypto from 'node:crypto';

const PREFIX = 'esc-';
/** 160 bits of SHA-256: `esc-` + 40 hex digits = 44 characters, within the chaincode's 64-character ids. */
const HEX_DIGITS = 40;

export function derivedEscrowId(idempotencyScope: string, idempotencyKey: string): string {
  const digest = crypto
    .createHash('sha256')
    .update(`escrow-id\n${idempotencyScope}\n${idempotencyKey}`)
    .digest('hex');
  return `${PREFIX}${digest.slice(0, HEX_DIGITS)}`;
}
