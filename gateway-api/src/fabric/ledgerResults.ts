// What the escrow chaincode returns, read through the chaincode's own validating readers. A result
// they refuse (CORRUPT_STATE) becomes LEDGER_RESULT_MALFORMED here, and nowhere else.
import { EscrowError, parseEscrow, type ErrorCode, type Escrow } from '@p2p-escrow/chaincode';
import { UpstreamError } from '../errors/apiError';

const corruptState: ErrorCode = 'CORRUPT_STATE';
const decoder = new TextDecoder();

function malformed(what: string): UpstreamError {
  return new UpstreamError('LEDGER_RESULT_MALFORMED', `the chaincode returned a malformed ${what}`);
}

/** Runs a chaincode reader over a result, as a gateway error if the result is malformed. */
export function readResult<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof EscrowError && error.code === corruptState) throw malformed(what);
    throw error;
  }
}

/** An escrow record held elsewhere (the projection's copy of the ledger's record). */
export function escrowFromRecord(value: unknown): Escrow {
  return readResult('escrow record', () => parseEscrow(value));
}

/** A JSON object the chaincode returns without a reader of its own (an escrow's private details). */
export function objectFromBytes(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(what);
  return value as Record<string, unknown>;
}
