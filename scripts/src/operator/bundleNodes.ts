// The other orgs' nodes as their public bundles name them: an operator on its own host reaches the
// ordering service and the other orgs' peers only through what those orgs published (anchor peers,
// orderer endpoints, TLS CA certificates), never through another org's state directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RemoteNode } from '../network/fabricCli';
import { readBundle, type ReadBundle } from './channelFromBundles';
import { EXIT_USAGE, OperatorError } from './operatorError';

function tlsCaFileOf({ dir, manifest }: ReadBundle): string {
  const file = manifest.files.find((entry) => entry.path.startsWith('msp/tlscacerts/'));
  if (file === undefined) throw new OperatorError('BUNDLE_INVALID', `bundle ${dir}: no TLS CA certificate`);
  return path.join(dir, file.path);
}

/** The orderer the orderer org's bundle names first. */
export function ordererOfBundle(dir: string): RemoteNode {
  const bundle = readBundle(dir);
  const [address] = bundle.manifest.ordererEndpoints;
  if (bundle.manifest.kind !== 'orderer' || address === undefined)
    throw new OperatorError('BUNDLE_INVALID', `bundle ${dir}: names no orderer endpoint`, EXIT_USAGE);
  return { address, tlsCaFile: tlsCaFileOf(bundle) };
}

/** Each peer org's anchor peer, by MSP ID, from its bundle. */
export function peersOfBundles(dirs: readonly string[]): Record<string, RemoteNode> {
  const peers: Record<string, RemoteNode> = {};
  for (const dir of dirs) {
    const bundle = readBundle(dir);
    const [address] = bundle.manifest.anchorPeers;
    if (bundle.manifest.kind !== 'application' || address === undefined)
      throw new OperatorError('BUNDLE_INVALID', `bundle ${dir}: names no anchor peer`, EXIT_USAGE);
    peers[bundle.manifest.mspId] = { address, tlsCaFile: tlsCaFileOf(bundle) };
  }
  return peers;
}

export function requireDirectory(dir: string, what: string): string {
  if (!fs.existsSync(dir)) throw new OperatorError('NOT_FOUND', `no ${what} at ${dir}`, EXIT_USAGE);
  return dir;
}
