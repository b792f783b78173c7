// Personal data of an escrow (shipping address, contact). It arrives as transient data, is kept
// only in the parties' private collection, and the public escrow carries a salted hash of it.
import { createHash } from 'node:crypto';
import {
  CorruptStateError,
  EscrowError,
  InputTooLargeError,
  InvalidInputError,
} from '../errors/escrowErrors';
import { fromStateBytes, toStateBytes } from '../ledger/stateSerializer';
import {
  type JsonObject,
  LIMITS,
  parseJsonObject,
  requireId,
  requireObject,
  requireText,
} from '../validation/fields';

const SALT_PATTERN = /^[0-9a-f]{32,128}$/;
const MAX_FIELDS = 20;
const MAX_VALUE_LENGTH = 500;

export type DetailValue = string | Readonly<Record<string, string>>;

export interface PrivateDetails {
  readonly docType: 'privateDetails';
  readonly escrowId: string;
  readonly salt: string;
  readonly shippingAddress: DetailValue;
  readonly contact: DetailValue;
}

function detailValue(value: unknown, field: string): DetailValue {
  if (typeof value === 'string') return requireText(value, field, MAX_VALUE_LENGTH);
  const record = requireObject(value, field);
  const entries = Object.entries(record);
  if (entries.length > MAX_FIELDS) throw new InputTooLargeError(`${field} fields`, MAX_FIELDS);
  return Object.fromEntries(
    entries.map(([key, text]) => [
      requireId(key, `${field} key`),
      requireText(text, `${field}.${key}`, MAX_VALUE_LENGTH),
    ]),
  );
}

function readDetails(record: JsonObject, escrowId: string): PrivateDetails {
  const salt = requireText(record.salt, 'salt', 128);
  if (!SALT_PATTERN.test(salt)) throw new InvalidInputError('salt must be 32 to 128 lowercase hex digits');
  return {
    docType: 'privateDetails',
    escrowId,
    salt,
    shippingAddress: detailValue(record.shippingAddress, 'shippingAddress'),
    contact: detailValue(record.contact, 'contact'),
  };
}

/** Reads the transient `privateDetails` JSON: { salt, shippingAddress, contact }. */
export function parsePrivateDetailsTransient(bytes: Uint8Array, escrowId: string): PrivateDetails {
  const text = Buffer.from(bytes).toString('utf8');
  return readDetails(parseJsonObject(text, 'privateDetails', LIMITS.privateDetailsBytes), escrowId);
}

export function privateDetailsBytes(details: PrivateDetails): Uint8Array {
  return toStateBytes(details);
}

/** The salted hash kept on public state: SHA-256 of the stored private bytes, salt included. */
export function privateDetailsHash(details: PrivateDetails): string {
  return createHash('sha256').update(privateDetailsBytes(details)).digest('hex');
}

export function privateDetailsFromBytes(bytes: Uint8Array): PrivateDetails {
  try {
    const record = requireObject(fromStateBytes(bytes), 'privateDetails');
    if (record.docType !== 'privateDetails') throw new CorruptStateError('docType is not privateDetails');
    return readDetails(record, requireId(record.escrowId, 'escrowId'));
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`stored private details are malformed: ${detail}`);
  }
}
