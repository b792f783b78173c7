// An org's public bundle: what another org needs to add it to a channel or trust its nodes (its MSP
// definition with CA and TLS CA certificates and NodeOU configuration, its anchor peers or orderer
// endpoints) and a manifest with each file's digest. Built in memory from the org's MSP directory and
// checked for private keys before a single file is written.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { portPlan, portsOf } from '../env/portPlan';
import { nodeAddress, readOrgAddresses } from '../network/orgAddresses';
import { nodeDir, orgMspDir, ordererOrg, peerOrg, tlsFiles, type PeerOrgSpec } from '../network/topology';
import { OperatorError } from './operatorError';

export const BUNDLE_MANIFEST = 'manifest.json';

/** A bundle's files by their path inside the bundle. */
export type BundleFiles = Map<string, string>;

export interface BundleManifest {
  org: string;
  mspId: string;
  kind: 'application' | 'orderer';
  anchorPeers: string[];
  ordererEndpoints: string[];
  /** The orderer org's Raft consenters; each one's TLS certificate is a file of the bundle. */
  consenters?: BundleConsenter[];
  files: { path: string; sha256: string }[];
}

export interface BundleConsenter {
  node: string;
  host: string;
  port: number;
  tlsCert: string;
}

const MSP_FOLDERS = ['cacerts', 'tlscacerts'] as const;

/** The public MSP files of an org: its CA and TLS CA certificates and its NodeOU config.yaml. */
function mspFiles(mspDir: string): BundleFiles {
  const files: BundleFiles = new Map();
  if (!fs.existsSync(path.join(mspDir, 'config.yaml')))
    throw new OperatorError('ORG_NOT_INITIALISED', `no MSP at ${mspDir}; initialise the org first`);
  for (const folder of MSP_FOLDERS) {
    const dir = path.join(mspDir, folder);
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
      files.set(`msp/${folder}/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'));
    }
  }
  files.set('msp/config.yaml', fs.readFileSync(path.join(mspDir, 'config.yaml'), 'utf8'));
  return files;
}

/**
 * Adds each orderer's TLS certificate to the bundle (the channel's Raft consenters are named by it)
 * and returns the consenters.
 */
function consenterFiles(files: BundleFiles, stateRoot?: string): BundleConsenter[] {
  const addresses = readOrgAddresses(ordererOrg.name, stateRoot);
  return ordererOrg.nodes.map((node) => {
    const certFile = tlsFiles(nodeDir(ordererOrg.name, node, stateRoot)).cert;
    if (!fs.existsSync(certFile))
      throw new OperatorError('ORG_NOT_INITIALISED', `no TLS certificate for ${node} at ${certFile}`);
    const tlsCert = `consenters/${node}/tls-cert.pem`;
    files.set(tlsCert, fs.readFileSync(certFile, 'utf8'));
    const host = nodeAddress(addresses, node);
    return { node, host, port: portsOf(portPlan.orderer, node).listen, tlsCert };
  });
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The bundle of `org` (a peer org's name or MSP ID, or the orderer org's) from the state under `stateRoot`. */
export function buildOrgBundle(org: string, stateRoot?: string): BundleFiles {
  const isOrderer = org === ordererOrg.name || org === ordererOrg.mspId;
  const spec: PeerOrgSpec | undefined = isOrderer ? undefined : peerOrg(org);
  const name = spec?.name ?? ordererOrg.name;
  const files = mspFiles(orgMspDir(name, stateRoot));
  const consenters = isOrderer ? consenterFiles(files, stateRoot) : undefined;
  // The addresses the org's operator gave at `org init` (the port plan's host when none were).
  const host = readOrgAddresses(name, stateRoot).host;
  const manifest: BundleManifest = {
    org: name,
    mspId: spec?.mspId ?? ordererOrg.mspId,
    kind: isOrderer ? 'orderer' : 'application',
    anchorPeers: spec === undefined ? [] : [`${host}:${String(portsOf(portPlan.peer, spec.name).listen)}`],
    ordererEndpoints: (consenters ?? []).map((consenter) => `${consenter.host}:${String(consenter.port)}`),
    ...(consenters === undefined ? {} : { consenters }),
    files: [...files].map(([file, text]) => ({ path: file, sha256: sha256(text) })),
  };
  files.set(BUNDLE_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

/** Files of a bundle that hold a private key, in any PEM form (PKCS#8, SEC1, PKCS#1, encrypted). */
export function filesWithPrivateKeys(files: BundleFiles): string[] {
  return [...files]
    .filter(([, text]) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
    .map(([file]) => file);
}

/** Writes a bundle into an empty or new directory, refusing one that holds a private key. */
export function writeOrgBundle(files: BundleFiles, outDir: string): string[] {
  const leaking = filesWithPrivateKeys(files);
  if (leaking.length > 0)
    throw new OperatorError(
      'BUNDLE_HAS_PRIVATE_KEY',
      `refusing to write a bundle holding a private key (${leaking.join(', ')})`,
    );
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0)
    throw new OperatorError('OUT_DIR_NOT_EMPTY', `${outDir} is not empty; choose a new or empty directory`);
  for (const [file, text] of files) {
    const target = path.join(outDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return [...files.keys()];
}
