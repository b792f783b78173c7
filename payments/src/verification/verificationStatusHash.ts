// The attestation's hash: sha256 over the provider's verification id, the status and the
// marketplace's salt, each length-prefixed so no two triples share an encoding. The salt (32 random
// bytes, generated once in the payments service's state directory, never committed) keeps the ledger's
// hash from confirming a guessed verification id; the marketplace can later show the triple to prove it.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { VerificationStatus } from '@p2p-escrow/chaincode';

export const VERIFICATION_SALT_FILE = 'verification-salt';

export function verificationStatusHash(
  verificationId: string,
  status: VerificationStatus,
  salt: string,
): string {
  const hash = crypto.createHash('sha256');
  for (const part of [verificationId, status, salt]) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest('hex');
}

/** The marketplace's salt under its state directory, made on first use (mode 0600). */
export function verificationSalt(stateDir: string): string {
  const file = path.join(stateDir, VERIFICATION_SALT_FILE);
  fs.mkdirSync(stateDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const salt = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(salt)) throw new Error(`${file} does not hold a 32-byte hex salt`);
  return salt;
}
