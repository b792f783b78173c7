// `channel create`: the genesis block of a new application channel from the founding orgs' public
// bundles (as `org export-bundle` writes them), built by the runner's own channel profile and
// configtxgen. Each bundle is checked against its manifest's digests before it is used.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeGenesisBlock, type ChannelFounders } from '../network/channelProfile';
import { EXIT_USAGE, OperatorError } from './operatorError';
import { BUNDLE_MANIFEST, type BundleManifest } from './orgBundle';

export interface ReadBundle {
  dir: string;
  manifest: BundleManifest;
}

function invalid(dir: string, reason: string): OperatorError {
  return new OperatorError('BUNDLE_INVALID', `bundle ${dir}: ${reason}`, EXIT_USAGE);
}

/** Reads a bundle's manifest and checks every file it lists against its SHA-256. */
export function readBundle(dir: string): ReadBundle {
  const manifestFile = path.join(dir, BUNDLE_MANIFEST);
  if (!fs.existsSync(manifestFile)) throw invalid(dir, `no ${BUNDLE_MANIFEST}`);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BundleManifest;
  } catch {
    throw invalid(dir, `${BUNDLE_MANIFEST} is not JSON`);
  }
  if (typeof manifest.mspId !== 'string' || !Array.isArray(manifest.files))
    throw invalid(dir, `${BUNDLE_MANIFEST} names no MSP ID or files`);
  for (const file of manifest.files) {
    const full = path.join(dir, file.path);
    if (!fs.existsSync(full)) throw invalid(dir, `${file.path} is missing`);
    const digest = crypto.createHash('sha256').update(fs.readFileSync(full, 'utf8')).digest('hex');
    if (digest !== file.sha256) throw invalid(dir, `${file.path} does not match its digest`);
  }
  return { dir, manifest };
}

function hostPortOf(dir: string, address: string): { Host: string; Port: number } {
  const match = /^([\w.-]+):(\d{1,5})$/.exec(address);
  if (match?.[1] === undefined || match[2] === undefined)
    throw invalid(dir, `anchor peer ${address} is not host:port`);
  return { Host: match[1], Port: Number(match[2]) };
}

/** The channel's founders from the peer orgs' bundles and the orderer org's. */
export function foundersOf(peerBundles: ReadBundle[], ordererBundle: ReadBundle): ChannelFounders {
  const { manifest: orderer, dir: ordererDir } = ordererBundle;
  if (orderer.kind !== 'orderer') throw invalid(ordererDir, `${orderer.mspId} is not an orderer org`);
  if (orderer.consenters === undefined || orderer.consenters.length === 0)
    throw invalid(ordererDir, 'names no Raft consenters');
  const seen = new Set<string>([orderer.mspId]);
  for (const { dir, manifest } of peerBundles) {
    if (manifest.kind !== 'application') throw invalid(dir, `${manifest.mspId} is not a peer org`);
    if (seen.has(manifest.mspId)) throw invalid(dir, `${manifest.mspId} is given twice`);
    seen.add(manifest.mspId);
  }
  return {
    ordererOrg: {
      name: orderer.org,
      mspId: orderer.mspId,
      mspDir: path.join(ordererDir, 'msp'),
      endpoints: orderer.ordererEndpoints,
    },
    peerOrgs: peerBundles.map(({ dir, manifest }) => ({
      name: manifest.org,
      mspId: manifest.mspId,
      mspDir: path.join(dir, 'msp'),
      anchorPeers: manifest.anchorPeers.map((address) => hostPortOf(dir, address)),
    })),
    consenters: orderer.consenters.map((consenter) => ({
      host: consenter.host,
      port: consenter.port,
      tlsCert: path.join(ordererDir, consenter.tlsCert),
    })),
  };
}

export interface ChannelCreateRequest {
  channel: string;
  bundles: string[];
  ordererBundle: string;
  out: string;
  progress: (line: string) => void;
}

/** Writes the new channel's genesis block to `out` (which must not exist yet). */
export async function createChannelBlock(request: ChannelCreateRequest): Promise<ChannelFounders> {
  const { channel, out, progress } = request;
  if (fs.existsSync(out))
    throw new OperatorError('OUT_EXISTS', `${out} exists; choose a new file for the block`, EXIT_USAGE);
  progress(`checking ${String(request.bundles.length + 1)} bundles against their manifests`);
  const founders = foundersOf(request.bundles.map(readBundle), readBundle(request.ordererBundle));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-create-'));
  try {
    const orgs = founders.peerOrgs.map((org) => org.mspId).join(', ');
    progress(`writing the genesis block of ${channel} for ${orgs} with configtxgen`);
    await writeGenesisBlock(founders, channel, out, work);
    return founders;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
