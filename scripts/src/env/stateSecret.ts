// Secrets generated on the first start, kept under the state directory (mode 0600) and reused after;
// none is ever committed.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from './paths';

export const secretsDir = path.join(stateDir, 'secrets');

/** A secret generated once in `file` and reused on every later start. */
export function stateSecret(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** A named secret of the platform services, in `<state>/secrets/<name>`. */
export function namedSecret(name: string): string {
  return stateSecret(path.join(secretsDir, name));
}
