// Personal data of an escrow (shipping address, contact). The create request declares only its
// salted hash, which the public escrow keeps; the data itself arrives afterwards as transient data
// of putPrivateDetails, endorsed by the parties' orgs alone, and is kept only in their collection.
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
  optional,
  parseJsonObject,
  requireId,
  requireObject,
  requireSha256Hex,
  requireStoredText,
  requireText,
} from '../validation/fields';

const SALT_PATTERN = /^[0-9a-f]{32,128}$/;
const MAX_FIELDS = 20;

export type DetailValue = string | Readonly<Record<string, string>>;

export interface PrivateDetails {
  readonly docType: 'privateDetails';
  readonly escrowId: string;
  readonly salt: string;
  readonly shippingAddress: DetailValue;
  readonly contact: DetailValue;
}

type TextReader = (value: unknown, field: string, maxLength: number) => string;

function detailValue(value: unknown, field: string, readText: TextReader): DetailValue {
  if (typeof value === 'string') return readText(value, field, LIMITS.privateDetailValueLength);
  const record = requireObject(value, field);
  const entries = Object.entries(record);
  if (entries.length > MAX_FIELDS) throw new InputTooLargeError(`${field} fields`, MAX_FIELDS);
  return Object.fromEntries(
    entries.map(([key, text]) => [
      requireId(key, `${field} key`),
      readText(text, `${field}.${key}`, LIMITS.privateDetailValueLength),
    ]),
  );
}

/** `readText` is the input rule for transient data, the stored-record rule for what a peer already holds. */
function readDetails(record: JsonObject, escrowId: string, readText: TextReader): PrivateDetails {
  const salt = requireText(record.salt, 'salt', 128);
  if (!SALT_PATTERN.test(salt)) throw new InvalidInputError('salt must be 32 to 128 lowercase hex digits');
  return {
    docType: 'privateDetails',
    escrowId,
    salt,
    shippingAddress: detailValue(record.shippingAddress, 'shippingAddress', readText),
    contact: detailValue(record.contact, 'contact', readText),
  };
}

/** Reads the transient `privateDetails` JSON: { salt, shippingAddress, contact }. */
export function parsePrivateDetailsTransient(bytes: Uint8Array, escrowId: string): PrivateDetails {
  const text = Buffer.from(bytes).toString('utf8');
  return readDetails(
    parseJsonObject(text, 'privateDetails', LIMITS.privateDetailsBytes),
    escrowId,
    requireText,
  );
}

export function privateDetailsBytes(details: PrivateDetails): Uint8Array {
  return toStateBytes(details);
}

/** The salted hash kept on public state: SHA-256 of the stored private bytes, salt included. */
export function privateDetailsHash(details: PrivateDetails): string {
  return createHash('sha256').update(privateDetailsBytes(details)).digest('hex');
}

/**
 * The client's side of the split create: the salted hash of `details` ({ salt, shippingAddress,
 * contact }) for escrow `escrowId`, checked by the same rules as the transient data, so the hash a
 * create request declares is the one putPrivateDetails will find.
 */
export function privateDetailsHashOf(escrowId: string, details: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(details));
  return privateDetailsHash(parsePrivateDetailsTransient(bytes, requireId(escrowId, 'escrowId')));
}

/** The hash a create request declares (`privateDetailsHash`), or null when the escrow has no personal data. */
export function declaredPrivateDetailsHash(request: unknown): string | null {
  const declared = requireObject(request, 'request').privateDetailsHash;
  return optional(declared, (hash) => requireSha256Hex(hash, 'privateDetailsHash')) ?? null;
}

export function privateDetailsFromBytes(bytes: Uint8Array): PrivateDetails {
  try {
    const record = requireObject(fromStateBytes(bytes), 'privateDetails');
    if (record.docType !== 'privateDetails') throw new CorruptStateError('docType is not privateDetails');
    return readDetails(record, requireId(record.escrowId, 'escrowId'), requireStoredText);
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`stored private details are malformed: ${detail}`);
  }
}
