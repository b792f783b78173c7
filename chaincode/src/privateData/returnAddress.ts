// The seller's return address for a rejected item: personal data, so it lives only in the parties'
// personal-data collection (the one of the escrow's private details), under its own key per item;
// the item's record keeps its salted hash. Like the private details, it arrives in two steps: the
// seller's provideReturnAddress declares the hash (a transition of the escrow, endorsed as any), and
// putReturnAddress stores the data, endorsed by the collection's members alone.
import { createHash } from 'node:crypto';
import { CorruptStateError, EscrowError, InvalidInputError } from '../errors/escrowErrors';
import { KEY_TYPES, type KeyMaker } from '../ledger/keys';
import { fromStateBytes, toStateBytes } from '../ledger/stateSerializer';
import {
  LIMITS,
  parseJsonObject,
  requireId,
  requireInteger,
  requireObject,
  requireStoredText,
  requireText,
} from '../validation/fields';

export const RETURN_ADDRESS_TRANSIENT_KEY = 'returnAddress';
const SALT_PATTERN = /^[0-9a-f]{32,128}$/;

export interface ReturnAddressDetails {
  readonly docType: 'returnAddress';
  readonly escrowId: string;
  readonly item: number;
  readonly salt: string;
  readonly address: string;
}

type TextReader = (value: unknown, field: string, maxLength: number) => string;

function readAddress(value: unknown, readText: TextReader): ReturnAddressDetails {
  const record = requireObject(value, 'returnAddress');
  const salt = requireText(record.salt, 'returnAddress.salt', 128);
  if (!SALT_PATTERN.test(salt)) throw new InvalidInputError('salt must be 32 to 128 lowercase hex digits');
  return {
    docType: 'returnAddress',
    escrowId: requireId(record.escrowId, 'returnAddress.escrowId'),
    item: requireInteger(record.item, 'returnAddress.item', 0, LIMITS.items - 1),
    salt,
    address: readText(record.address, 'returnAddress.address', LIMITS.privateDetailValueLength),
  };
}

/** The transient `returnAddress` JSON: { escrowId, item, salt, address }. */
export function parseReturnAddressTransient(bytes: Uint8Array): ReturnAddressDetails {
  const text = Buffer.from(bytes).toString('utf8');
  return readAddress(
    { docType: 'returnAddress', ...parseJsonObject(text, 'returnAddress', LIMITS.privateDetailsBytes) },
    requireText,
  );
}

export function returnAddressBytes(details: ReturnAddressDetails): Uint8Array {
  return toStateBytes(details);
}

/** The salted hash the item keeps: SHA-256 of the stored bytes, salt included. */
export function returnAddressHash(details: ReturnAddressDetails): string {
  return createHash('sha256').update(returnAddressBytes(details)).digest('hex');
}

/** The client's side: the hash provideReturnAddress declares for `{ escrowId, item, salt, address }`. */
export function returnAddressHashOf(details: unknown): string {
  return returnAddressHash(parseReturnAddressTransient(new TextEncoder().encode(JSON.stringify(details))));
}

export function returnAddressFromBytes(bytes: Uint8Array): ReturnAddressDetails {
  try {
    const record = requireObject(fromStateBytes(bytes), 'returnAddress');
    if (record.docType !== 'returnAddress') throw new CorruptStateError('docType is not returnAddress');
    return readAddress(record, requireStoredText);
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`stored return address is malformed: ${detail}`);
  }
}

/** Its key in the personal-data collection: one per item of an escrow. */
export function returnAddressKey(keys: KeyMaker, escrowId: string, item: number): string {
  return keys.createCompositeKey(KEY_TYPES.returnAddress, [escrowId, String(item)]);
}
