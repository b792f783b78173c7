// RFC 6238 time-based one-time passwords (HMAC-SHA1, 6 digits, 30 s steps), as Keycloak's default OTP
// policy and authenticator apps compute them.
import * as crypto from 'node:crypto';

export interface TotpOptions {
  digits?: number;
  periodSeconds?: number;
}

export function totp(key: Buffer, atMs: number = Date.now(), options: TotpOptions = {}): string {
  const digits = options.digits ?? 6;
  const counter = Math.floor(atMs / 1000 / (options.periodSeconds ?? 30));
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(message).digest();
  // RFC 4226 dynamic truncation: 31 bits from the offset named by the last nibble.
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const code = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(code % 10 ** digits).padStart(digits, '0');
}

/** The 30 s step `atMs` falls in: two codes of one step are the same code. */
export function totpStep(atMs: number = Date.now(), periodSeconds = 30): number {
  return Math.floor(atMs / 1000 / periodSeconds);
}
