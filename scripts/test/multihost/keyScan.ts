// Which org's certificates the private keys of a state directory belong to: every PEM private key
// under the directory, matched by public key against every certificate under every directory, each
// certificate attributed to the org whose CA issued it.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;
const LARGEST_PEM_FILE = 256 * 1024;

function pemFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => fs.statSync(file).size <= LARGEST_PEM_FILE)
    .filter((file) => fs.readFileSync(file, 'latin1').includes('-----BEGIN '));
}

function blocksOf(file: string, kind: (label: string) => boolean): string[] {
  // PEM text inside JSON or YAML strings carries escaped line breaks.
  const text = fs.readFileSync(file, 'utf8').replaceAll('\\n', '\n');
  return [...text.matchAll(PEM_BLOCK)].filter((match) => kind(match[1] ?? '')).map((match) => match[0]);
}

function publicKeyId(key: crypto.KeyObject): string {
  return crypto
    .createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export interface PrivateKeyFound {
  file: string;
  publicKeyId: string | undefined;
}

/**
 * A PEM private key in whichever encoding its label hides: Fabric CA writes its revocation key as
 * SEC1 under a PKCS#8 label. Undefined when no encoding reads it.
 */
function parsedPrivateKey(pem: string): crypto.KeyObject | undefined {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const readers = [
    () => crypto.createPrivateKey(pem),
    () => crypto.createPrivateKey({ key: der, format: 'der', type: 'sec1' }),
    () => crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }),
  ];
  for (const read of readers) {
    try {
      return read();
    } catch {
      // Not this encoding.
    }
  }
  return undefined;
}

/** Every PEM private key under `dir`; `publicKeyId` is undefined for one no encoding reads. */
export function privateKeysUnder(dir: string): PrivateKeyFound[] {
  return pemFilesUnder(dir).flatMap((file) =>
    blocksOf(file, (label) => label.endsWith('PRIVATE KEY')).map((pem) => {
      const key = parsedPrivateKey(pem);
      return { file, publicKeyId: key === undefined ? undefined : publicKeyId(crypto.createPublicKey(key)) };
    }),
  );
}

/** A certificate, or undefined for a PEM block that is none (a template, a truncated copy). */
function parsedCertificate(pem: string): crypto.X509Certificate | undefined {
  try {
    return new crypto.X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** Public key id → the org whose CA issued a certificate for it, over every certificate under `dirs`. */
export function certificateOwners(
  dirs: readonly string[],
  caCertificates: Readonly<Record<string, string>>,
): Map<string, string> {
  const cas = Object.entries(caCertificates).map(
    ([org, pem]) => [org, new crypto.X509Certificate(pem)] as const,
  );
  const owners = new Map<string, string>();
  for (const file of dirs.flatMap(pemFilesUnder)) {
    for (const pem of blocksOf(file, (label) => label === 'CERTIFICATE')) {
      const certificate = parsedCertificate(pem);
      if (certificate === undefined) continue;
      const issuer = cas.find(([, ca]) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
      if (issuer !== undefined) owners.set(publicKeyId(certificate.publicKey), issuer[0]);
    }
  }
  return owners;
}
