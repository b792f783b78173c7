// TLS material for the local deployment, made at start in one TLS directory: a small local CA (kept
// across restarts, so clients that trust it keep working) and server or client certificates issued by
// it, renewed at every start. The runner uses it for PostgreSQL, Kafka, Keycloak and the Fabric
// operations endpoints; the gateway for its HTTPS listener. Nothing here is ever committed.
import forge from 'node-forge';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';

export interface LocalTls {
  /** PEM of the local CA peers should trust. */
  readonly caCertPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** Where the files were written: `ca/ca.pem`, and the certificate and key named by the label. */
  readonly caCertPath: string;
  readonly certPath: string;
  readonly keyPath: string;
}

const CA_SUBJECT = 'p2p-escrow gateway local CA';
const CA_DAYS = 730;
const SERVER_DAYS = 30;

function rsaKeyPair(): forge.pki.rsa.KeyPair {
  // Node's native generator is far faster than forge's pure-JS one.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  return { privateKey: forgeKey, publicKey: forge.pki.rsa.setPublicKey(forgeKey.n, forgeKey.e) };
}

function baseCertificate(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: 16 random bytes with the top bit cleared.
  cert.serialNumber = `7${crypto.randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  return cert;
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = rsaKeyPair();
  const cert = baseCertificate(keys.publicKey, CA_DAYS);
  const subject = [{ name: 'commonName', value: CA_SUBJECT }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** The CA of `dir`, created once; replicas starting together agree on one through an atomic rename. */
function loadOrCreateCa(dir: string): { certPem: string; keyPem: string } {
  const caDir = path.join(dir, 'ca');
  const read = () => ({
    certPem: fs.readFileSync(path.join(caDir, 'ca.pem'), 'utf8'),
    keyPem: fs.readFileSync(path.join(caDir, 'ca-key.pem'), 'utf8'),
  });
  if (fs.existsSync(path.join(caDir, 'ca-key.pem'))) return read();
  const staging = fs.mkdtempSync(path.join(dir, '.ca-'));
  const ca = createCa();
  fs.writeFileSync(path.join(staging, 'ca.pem'), ca.certPem, { mode: 0o644 });
  fs.writeFileSync(path.join(staging, 'ca-key.pem'), ca.keyPem, { mode: 0o600 });
  try {
    fs.renameSync(staging, caDir);
    return ca;
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
    return read();
  }
}

type CertificateUse = 'server' | 'client';

/** A name a server certificate cannot carry: neither an IP address nor a DNS host name. */
export class CertificateNameError extends Error {
  readonly code = 'TLS_NAME_INVALID';
  constructor(readonly names: readonly string[]) {
    super(`${names.map((name) => JSON.stringify(name)).join(', ')}: neither a DNS name nor an IP address`);
    this.name = 'CertificateNameError';
  }
}

const dnsName = z.hostname();

/**
 * Whether a server certificate may name `name`: an IP address, or a DNS host name (RFC 1123 labels;
 * all-numeric dotted names must be IP addresses, so `999.1.1.1` is refused rather than taken as DNS).
 */
export function isCertificateName(name: string): boolean {
  if (net.isIP(name) !== 0) return true;
  return !/^[\d.]+$/.test(name) && dnsName.safeParse(name).success;
}

function issueCertificate(
  ca: { certPem: string; keyPem: string },
  use: CertificateUse,
  names: readonly string[],
): { certPem: string; keyPem: string } {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = rsaKeyPair();
  const cert = baseCertificate(keys.publicKey, SERVER_DAYS);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = names.map((name) => (net.isIP(name) ? { type: 7, ip: name } : { type: 2, value: name }));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    use === 'server' ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true },
    ...(use === 'server' ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** Where the CA and a `use` certificate named by `label` live under `dir`. */
function tlsPaths(dir: string, use: CertificateUse, label: string) {
  return {
    caCertPath: path.join(dir, 'ca', 'ca.pem'),
    certPath: path.join(dir, `${use}-${label}.pem`),
    keyPath: path.join(dir, `${use}-${label}-key.pem`),
  };
}

function prepare(dir: string, use: CertificateUse, names: readonly string[], label: string): LocalTls {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = loadOrCreateCa(dir);
  const issued = issueCertificate(ca, use, [...new Set(names)]);
  const paths = tlsPaths(dir, use, label);
  fs.writeFileSync(paths.certPath, issued.certPem, { mode: 0o644 });
  fs.writeFileSync(paths.keyPath, issued.keyPem, { mode: 0o600 });
  return { caCertPem: ca.certPem, certPem: issued.certPem, keyPem: issued.keyPem, ...paths };
}

/**
 * Makes the CA (once) and a fresh server certificate for `hosts` (DNS names and IP addresses, each in
 * its subject alternative names) under `dir`; the files are named by `label` so servers sharing the
 * directory (gateway replicas on other ports) do not overwrite each other's. Throws
 * CertificateNameError, before writing anything, when a host is neither a DNS name nor an IP address.
 */
export function prepareServerTls(dir: string, hosts: readonly string[], label: string): LocalTls {
  const invalid = hosts.filter((host) => !isCertificateName(host));
  if (invalid.length > 0) throw new CertificateNameError(invalid);
  return prepare(dir, 'server', hosts, label);
}

/**
 * The server certificate `prepareServerTls` issued last under `dir` for `label`, read back as it is:
 * for processes that serve with one certificate their parent issued (a gateway's cluster workers).
 */
export function readServerTls(dir: string, label: string): LocalTls {
  const paths = tlsPaths(dir, 'server', label);
  return {
    caCertPem: fs.readFileSync(paths.caCertPath, 'utf8'),
    certPem: fs.readFileSync(paths.certPath, 'utf8'),
    keyPem: fs.readFileSync(paths.keyPath, 'utf8'),
    ...paths,
  };
}

/**
 * Makes the CA (once) and a fresh client certificate whose subject is `commonName`, for servers that
 * authenticate their clients by certificate (the Fabric operations endpoints, PostgreSQL).
 */
export function prepareClientTls(dir: string, commonName: string, label: string): LocalTls {
  return prepare(dir, 'client', [commonName], label);
}
