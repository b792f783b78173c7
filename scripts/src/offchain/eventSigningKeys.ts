// The relay's event-signing key pair, generated on the first start under the state directory: the
// relay holds the private key and signs every escrow event it publishes; the notifier gets only the
// public key, so it can tell the relay's events from anything else written to the topic.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secretsDir } from '../env/stateSecret';

/** Ed25519 private key (PKCS#8 PEM, mode 0600): the relay's alone. */
export const eventSigningKeyFile = path.join(secretsDir, 'event-signing-key.pem');
/** Its public key (SPKI PEM), which consumers verify events with. */
export const eventVerifyKeyFile = path.join(secretsDir, 'event-signing-key.pub.pem');

/** Creates the pair once; later calls keep it. Both files are written before either is used. */
export function ensureEventSigningKeys(): void {
  if (fs.existsSync(eventSigningKeyFile) && fs.existsSync(eventVerifyKeyFile)) return;
  fs.mkdirSync(path.dirname(eventSigningKeyFile), { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  fs.writeFileSync(eventVerifyKeyFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  fs.writeFileSync(eventSigningKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
}
