// Validating readers for untrusted input: every transaction argument, transient field and stored
// record goes through one of these, so a malformed value fails with INVALID_INPUT (INPUT_TOO_LARGE
// when it is oversize, INVALID_TEXT when a text holds a character the off-chain stores refuse)
// before any rule looks at it.
import {
  type Marketplace,
  type Organization,
  isMarketplace,
  isOrganizationName,
} from '../config/identityConfig';
import { InputTooLargeError, InvalidInputError, InvalidTextError } from '../errors/escrowErrors';

export const LIMITS = {
  requestBytes: 16_384,
  idLength: 64,
  textLength: 200,
  referenceLength: 128,
  items: 50,
  evidenceHashes: 20,
  amountDigits: 18,
  privateDetailsBytes: 4_096,
  privateDetailValueLength: 500,
  pageSize: 100,
  bookmarkLength: 1_024,
} as const;

/**
 * What every text the chaincode accepts must satisfy, so that whatever the ledger holds the mirror can
 * store (PostgreSQL text and jsonb refuse U+0000 and lone surrogates) and Kafka and webhooks can carry
 * as JSON. Published on the face for the gateway's OpenAPI document: `pattern` is an ECMAScript
 * regular expression for the `u` flag (JSON Schema's dialect); lengths count UTF-16 code units.
 */
export const TEXT_RULES = {
  maxLength: {
    text: LIMITS.textLength,
    id: LIMITS.idLength,
    reference: LIMITS.referenceLength,
    privateDetailValue: LIMITS.privateDetailValueLength,
  },
  lengthUnit: 'UTF-16 code units',
  forbiddenRanges: [
    { from: 'U+0000', to: 'U+001F' },
    { from: 'U+007F', to: 'U+009F' },
  ],
  unpairedSurrogates: 'forbidden',
  pattern: '^[^\\p{Cc}\\p{Cs}]*$',
} as const;

// \p{Cc} is exactly U+0000–U+001F and U+007F–U+009F; with the `u` flag a surrogate is \p{Cs} only
// when it is unpaired (a pair reads as one code point outside the BMP).
const FORBIDDEN_CHARACTER = /[\p{Cc}\p{Cs}]/u;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const REFERENCE_PATTERN = /^[\x21-\x7e]+$/;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
const ISO_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const MINOR_UNITS_PATTERN = /^(0|[1-9][0-9]*)$/;

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, field: string): JsonObject {
  if (!isJsonObject(value)) throw new InvalidInputError(`${field} must be an object`);
  return value;
}

export function requireArray(value: unknown, field: string, maxLength: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError(`${field} must be an array`);
  if (value.length > maxLength) throw new InputTooLargeError(`${field} length`, maxLength);
  return value as readonly unknown[];
}

export function parseJson(text: string, field: string, maxBytes: number): unknown {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new InputTooLargeError(`${field} bytes`, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError(`${field} is not valid JSON`);
  }
}

export function parseJsonObject(text: string, field: string, maxBytes: number): JsonObject {
  return requireObject(parseJson(text, field, maxBytes), field);
}

/** The first character TEXT_RULES forbid, as `U+XXXX` with its index, or undefined. */
export function forbiddenCharacterIn(text: string): { codePoint: string; index: number } | undefined {
  const match = FORBIDDEN_CHARACTER.exec(text);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return { codePoint: `U+${code}`, index: match.index };
}

function requireString(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be a string`);
  if (value.length > maxLength) throw new InputTooLargeError(`${field} length`, maxLength);
  return value;
}

function requireNotBlank(text: string, field: string): string {
  if (text.trim().length === 0) throw new InvalidInputError(`${field} must not be blank`);
  return text;
}

/** Every text argument: a string within its length, free of the characters TEXT_RULES forbid, not blank. */
export function requireText(value: unknown, field: string, maxLength: number = LIMITS.textLength): string {
  const text = requireString(value, field, maxLength);
  const forbidden = forbiddenCharacterIn(text);
  if (forbidden !== undefined) {
    const what = /^U\+D[89A-F]/.test(forbidden.codePoint) ? 'an unpaired surrogate' : 'a control character';
    throw new InvalidTextError(
      `${field} contains ${what} (${forbidden.codePoint}) at index ${forbidden.index}`,
    );
  }
  return requireNotBlank(text, field);
}

/**
 * A text read back from a stored record: type, length and not blank, but not the character rule, so a
 * record written before TEXT_RULES (a dispute reason with a line break) stays readable and movable.
 */
export function requireStoredText(
  value: unknown,
  field: string,
  maxLength: number = LIMITS.textLength,
): string {
  return requireNotBlank(requireString(value, field, maxLength), field);
}

export function requireId(value: unknown, field: string): string {
  const id = requireText(value, field, LIMITS.idLength);
  if (!ID_PATTERN.test(id)) throw new InvalidInputError(`${field} has characters outside [A-Za-z0-9._@-]`);
  return id;
}

export function requireReference(value: unknown, field: string): string {
  const reference = requireText(value, field, LIMITS.referenceLength);
  if (!REFERENCE_PATTERN.test(reference)) throw new InvalidInputError(`${field} must be printable ASCII`);
  return reference;
}

export function requireSha256Hex(value: unknown, field: string): string {
  const hash = requireText(value, field, 64);
  if (!SHA256_HEX_PATTERN.test(hash)) throw new InvalidInputError(`${field} must be 64 lowercase hex digits`);
  return hash;
}

export function requireOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  const text = requireText(value, field, LIMITS.idLength);
  const match = allowed.find((candidate) => candidate === text);
  if (match === undefined) throw new InvalidInputError(`${field} must be one of ${allowed.join(', ')}`);
  return match;
}

/** A marketplace's name; whether it is registered (and active) is the registry's to say. */
export function requireMarketplace(value: unknown, field: string): Marketplace {
  const text = requireText(value, field, LIMITS.idLength);
  if (!isMarketplace(text)) throw new InvalidInputError(`${field} is not a known marketplace`);
  return text;
}

/** An organization's name (a marketplace or Oversight), as records name their actors. */
export function requireOrganization(value: unknown, field: string): Organization {
  const text = requireText(value, field, LIMITS.idLength);
  if (!isOrganizationName(text)) throw new InvalidInputError(`${field} is not an organization name`);
  return text;
}

export function requireInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidInputError(`${field} must be an integer`);
  }
  if (value < min || value > max) throw new InvalidInputError(`${field} must be between ${min} and ${max}`);
  return value;
}

/** Reads an integer amount of minor units written as a decimal string: digits only, no sign, no leading zeros. */
export function requireMinorUnits(value: unknown, field: string): bigint {
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be a string of digits`);
  if (value.length > LIMITS.amountDigits)
    throw new InputTooLargeError(`${field} digits`, LIMITS.amountDigits);
  if (!MINOR_UNITS_PATTERN.test(value)) {
    throw new InvalidInputError(`${field} must be digits without sign or leading zeros`);
  }
  return BigInt(value);
}

/** Reads a UTC instant written as YYYY-MM-DDTHH:MM:SS[.sss]Z and returns epoch milliseconds. */
export function requireInstant(value: unknown, field: string): number {
  if (typeof value !== 'string' || !ISO_INSTANT_PATTERN.test(value)) {
    throw new InvalidInputError(`${field} must be a UTC instant like 2030-01-31T12:00:00Z`);
  }
  const millis = Date.parse(value);
  if (Number.isNaN(millis) || toInstant(millis).slice(0, 19) !== value.slice(0, 19)) {
    throw new InvalidInputError(`${field} is not a real calendar instant`);
  }
  return millis;
}

export function toInstant(millis: number): string {
  return new Date(millis).toISOString();
}

export function optional<T>(value: unknown, read: (present: unknown) => T): T | undefined {
  return value === undefined ? undefined : read(value);
}
