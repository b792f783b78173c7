// Where an escrow event comes from. The relay signs every message it publishes (Ed25519 over the exact
// key and value bytes, and the id of its key) and the notifier accepts only what that key signed, so
// a message written to the topic by anyone else (a leaked credential, a misconfigured ACL) never
// becomes a partner webhook.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

/** The id of the key that signed the message (see `eventKeyId`). */
export const ORIGIN_KEY_HEADER = 'event-origin-key';
/** The Ed25519 signature, base64. */
export const ORIGIN_SIGNATURE_HEADER = 'event-origin-signature';

/** Why a message's origin was not accepted; stable codes, carried into the dead-letter headers. */
export const EVENT_UNSIGNED = 'EVENT_UNSIGNED';
export const EVENT_UNKNOWN_SIGNER = 'EVENT_UNKNOWN_SIGNER';
export const EVENT_SIGNATURE_INVALID = 'EVENT_SIGNATURE_INVALID';
export type OriginRefusal =
  | typeof EVENT_UNSIGNED
  | typeof EVENT_UNKNOWN_SIGNER
  | typeof EVENT_SIGNATURE_INVALID;

export type OriginCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: OriginRefusal; readonly detail: string };

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

export interface SignedMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, HeaderValue>>;
}

const CONTEXT = Buffer.from('p2p-escrow escrow-event v1\0', 'utf8');

/** The first 16 bytes of SHA-256 over the public key's SPKI encoding, in hex. */
export function eventKeyId(publicKey: crypto.KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('hex').slice(0, 32);
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** What is signed: a context string, the key id, the message key and the value, unambiguously joined. */
function signedBytes(keyId: string, key: Buffer, value: Buffer): Buffer {
  return Buffer.concat([CONTEXT, lengthPrefixed(Buffer.from(keyId, 'utf8')), lengthPrefixed(key), value]);
}

export class EventSigner {
  private readonly keyId: string;

  constructor(private readonly privateKey: crypto.KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the event-signing key must be Ed25519');
    this.keyId = eventKeyId(crypto.createPublicKey(privateKey));
  }

  static fromFile(file: string): EventSigner {
    return new EventSigner(crypto.createPrivateKey(fs.readFileSync(file)));
  }

  /** The headers that prove this signer published `key` → `value`. */
  headersFor(key: Buffer, value: Buffer): Record<string, string> {
    const signature = crypto.sign(null, signedBytes(this.keyId, key, value), this.privateKey);
    return { [ORIGIN_KEY_HEADER]: this.keyId, [ORIGIN_SIGNATURE_HEADER]: signature.toString('base64') };
  }
}

function singleHeader(message: SignedMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  if (value === undefined || Array.isArray(value)) return undefined;
  return value.toString();
}

export class EventVerifier {
  private readonly keys: ReadonlyMap<string, crypto.KeyObject>;

  /** Accepts messages signed by any of `publicKeys` (more than one while a key is being rotated). */
  constructor(publicKeys: readonly crypto.KeyObject[]) {
    this.keys = new Map(publicKeys.map((key) => [eventKeyId(key), key]));
  }

  static fromFile(file: string): EventVerifier {
    return new EventVerifier([crypto.createPublicKey(fs.readFileSync(file))]);
  }

  verify(message: SignedMessage): OriginCheck {
    const keyId = singleHeader(message, ORIGIN_KEY_HEADER);
    const signature = singleHeader(message, ORIGIN_SIGNATURE_HEADER);
    if (keyId === undefined || signature === undefined)
      return { ok: false, code: EVENT_UNSIGNED, detail: 'the message carries no single origin signature' };
    const publicKey = this.keys.get(keyId);
    if (publicKey === undefined)
      return { ok: false, code: EVENT_UNKNOWN_SIGNER, detail: `no trusted key has id ${keyId.slice(0, 64)}` };
    const signed = signedBytes(keyId, message.key ?? Buffer.alloc(0), message.value ?? Buffer.alloc(0));
    if (!crypto.verify(null, signed, publicKey, Buffer.from(signature, 'base64')))
      return {
        ok: false,
        code: EVENT_SIGNATURE_INVALID,
        detail: `the signature does not match key ${keyId}`,
      };
    return { ok: true };
  }
}
