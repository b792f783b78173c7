// AES-256-GCM encryption at rest of enrolled credentials. The identity key is bound as additional
// authenticated data, so a sealed record copied onto another user's row does not open.
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

export async function seal(
  keys: KeyProvider,
  plaintext: Buffer,
  associatedData: string,
): Promise<SealedRecord> {
  const { keyId, key } = await keys.current();
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
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

export async function open(keys: KeyProvider, sealed: SealedRecord, associatedData: string): Promise<Buffer> {
  const { key } = await keys.byId(sealed.kid);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
}
