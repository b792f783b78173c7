// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s), as Keycloak computes it from a user's raw OTP secret.
import * as crypto from 'node:crypto';

export function totpStep(atMs: number = Date.now(), periodSeconds = 30): number {
  return Math.floor(atMs / 1000 / periodSeconds);
}

export function totp(secret: string, step: number = totpStep(), digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', Buffer.from(secret, 'utf8')).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}
