// Secrets at rest, one format for every service: AES-256-GCM records naming the key that sealed them
// (rotation), with a purpose and an owner bound as additional authenticated data, so a sealed record
// copied onto another row, or used for another purpose, does not open.
import * as crypto from 'node:crypto';
import type { KeyProvider } from './keyProvider';

export interface SealedRecord {
  readonly v: 1;
  readonly alg: 'A256GCM';
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

/** What a sealed secret is for; together with its owner's id it forms the record's AAD. */
export type SealingPurpose = 'fabric-identity' | 'webhook-subscription';

/** The one AAD convention: `<purpose>:<owner id>`. */
export function sealingContext(purpose: SealingPurpose, ownerId: string | bigint): string {
  return `${purpose}:${ownerId.toString()}`;
}

/** A stored value is not a sealed record (or not one this version reads). */
export class SealedRecordError extends Error {
  readonly code = 'SEALED_RECORD_INVALID';
  constructor(detail: string) {
    super(`not a sealed record: ${detail}`);
    this.name = 'SealedRecordError';
  }
}

export function isSealedRecord(value: unknown): value is SealedRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record['v'] === 1 &&
    record['alg'] === 'A256GCM' &&
    ['kid', 'iv', 'tag', 'ct'].every((field) => typeof record[field] === 'string')
  );
}

/** Parses a sealed record stored as JSON text (e.g. a text column). */
export function sealedRecordFromText(text: string): SealedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SealedRecordError('not JSON');
  }
  if (!isSealedRecord(value)) throw new SealedRecordError('unexpected shape');
  return value;
}

export async function seal(keys: KeyProvider, plaintext: Buffer, context: string): Promise<SealedRecord> {
  const { keyId, key } = await keys.current();
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    v: 1,
    alg: 'A256GCM',
    kid: keyId,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
}

export async function open(keys: KeyProvider, sealed: SealedRecord, context: string): Promise<Buffer> {
  const { key } = await keys.byId(sealed.kid);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
}
