// Webhook secrets are stored sealed (AES-256-GCM, the gateway's sealed-record format, bound to the
// subscription id) with the gateway's key-encryption key; the notifier opens them to sign.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

interface SealedRecord {
  readonly v: 1;
  readonly alg: 'A256GCM';
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

export function webhookSecretAad(subscriptionId: bigint | string): string {
  return `webhook-subscription:${subscriptionId.toString()}`;
}

function isSealed(value: unknown): value is SealedRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record['v'] === 1 &&
    record['alg'] === 'A256GCM' &&
    ['kid', 'iv', 'tag', 'ct'].every((field) => typeof record[field] === 'string')
  );
}

export class SecretOpener {
  #key: { readonly keyId: string; readonly key: Buffer } | undefined;

  private constructor(private readonly file: string) {}

  /**
   * The key-encryption key file (base64 of 32 bytes) the gateway seals with, read on first use: the
   * gateway creates it with the first sealed secret, which may come after the notifier starts.
   */
  static fromKeyFile(file: string): SecretOpener {
    return new SecretOpener(file);
  }

  private keyOf(): { readonly keyId: string; readonly key: Buffer } {
    if (this.#key === undefined) {
      const key = Buffer.from(fs.readFileSync(this.file, 'utf8').trim(), 'base64');
      if (key.length !== 32) throw new Error(`${this.file} does not hold a 256-bit key`);
      const keyId = `local-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
      this.#key = { keyId, key };
    }
    return this.#key;
  }

  open(sealedText: string, associatedData: string): string {
    const sealed: unknown = JSON.parse(sealedText);
    if (!isSealed(sealed)) throw new Error('not a sealed webhook secret');
    const { keyId, key } = this.keyOf();
    if (sealed.kid !== keyId) throw new Error(`key-encryption key ${sealed.kid} is not available`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  }
}
