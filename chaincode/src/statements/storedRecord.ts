// Reads a stored statement or obligation record (or a query's answer) through a validating reader:
// anything malformed is CORRUPT_STATE, never a cast.
import { CorruptStateError, EscrowError } from '../errors/escrowErrors';
import { fromStateBytes } from '../ledger/stateSerializer';
import { type JsonObject, requireInstant, requireObject, toInstant } from '../validation/fields';

export function storedRecord<T>(
  bytes: Uint8Array | string,
  docType: string,
  read: (record: JsonObject) => T,
): T {
  try {
    const value = typeof bytes === 'string' ? (JSON.parse(bytes) as unknown) : fromStateBytes(bytes);
    const record = requireObject(value, docType);
    if (record.docType !== docType) throw new CorruptStateError(`docType is not ${docType}`);
    return read(record);
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`${docType} record is malformed: ${detail}`);
  }
}

export function storedInstant(value: unknown, field: string): string {
  return toInstant(requireInstant(value, field));
}
