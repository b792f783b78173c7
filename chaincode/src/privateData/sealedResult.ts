// What a private read answers: the result sealed (AES-256-GCM) under a key the caller sends as
// transient data. Transient data never reaches a block, so if such a read is ever submitted for
// ordering, its response in the block is ciphertext only. The fresh random IV also makes every
// endorser's answer differ, so the endorsements of a submitted read never agree: one org alone
// cannot meet the chaincode's MAJORITY policy, and two orgs' responses do not match.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { CorruptStateError, ResponseKeyRequiredError } from '../errors/escrowErrors';

export const RESPONSE_KEY_TRANSIENT_KEY = 'responseKey';
export const RESPONSE_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

/** The caller's response key, from the proposal's transient data; a private read without one is refused. */
export function requireResponseKey(transient: Map<string, Uint8Array>): Uint8Array {
  const key = transient.get(RESPONSE_KEY_TRANSIENT_KEY);
  if (key?.length !== RESPONSE_KEY_BYTES) {
    throw new ResponseKeyRequiredError(
      `private reads are evaluated only, with a ${RESPONSE_KEY_BYTES}-byte transient ${RESPONSE_KEY_TRANSIENT_KEY}`,
    );
  }
  return key;
}

/** base64 of IV ‖ tag ‖ ciphertext. */
export function sealResult(key: Uint8Array, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The caller's side of sealResult: a result that does not open under its key is CORRUPT_STATE. */
export function openSealedResult(key: Uint8Array, sealed: Uint8Array | string): string {
  const text = typeof sealed === 'string' ? sealed : Buffer.from(sealed).toString('utf8');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new CorruptStateError('sealed result is too short');
  try {
    const decipher = createDecipheriv(CIPHER, key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new CorruptStateError('sealed result does not open under the response key');
  }
}

/** A fresh response key for one read. */
export function newResponseKey(): Uint8Array {
  return randomBytes(RESPONSE_KEY_BYTES);
}

/**
 * The caller's response key of a submit, when it sent one. A submit answers with its full record
 * sealed under it (sealSubmitResult); without one, with the public record only, since a submit's
 * response is written into the block that every channel member receives.
 */
export function optionalResponseKey(transient: Map<string, Uint8Array>): Uint8Array | undefined {
  return transient.has(RESPONSE_KEY_TRANSIENT_KEY) ? requireResponseKey(transient) : undefined;
}

/**
 * sealResult for a submit: every endorser must return the same bytes, so the IV is derived from the
 * key and the transaction id (an HMAC) instead of drawn at random. One transaction seals one
 * plaintext, so a key never meets one IV with two plaintexts.
 */
export function sealSubmitResult(key: Uint8Array, txId: string, plaintext: string): string {
  const iv = createHmac('sha256', key).update(txId).digest().subarray(0, IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}
