// `peer join`: joins the org's peer to the channel from a genesis block file the operator was sent,
// or, without one, from block 0 fetched from an orderer as the org's admin (the orderer checks that
// the org is a member of the channel before it hands the block out).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchGenesisBlock, joinPeer } from '../network/channel';
import { channelName, type PeerOrgSpec } from '../network/topology';
import { EXIT_USAGE, OperatorError } from './operatorError';

type Progress = (line: string) => void;

export async function joinFromFile(org: PeerOrgSpec, block: string, progress: Progress): Promise<boolean> {
  if (!fs.existsSync(block)) throw new OperatorError('BLOCK_NOT_FOUND', `no block at ${block}`, EXIT_USAGE);
  progress(`joining ${org.name}'s peer to channel ${channelName} from ${block}`);
  return joinPeer(org, block);
}

export async function joinFromOrderer(
  org: PeerOrgSpec,
  orderer: string | undefined,
  progress: Progress,
): Promise<boolean> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-join-'));
  try {
    const block = path.join(work, `${channelName}.block`);
    progress(
      `fetching block 0 of channel ${channelName} from orderer ${orderer ?? "(the port plan's first)"}`,
    );
    await fetchGenesisBlock(org, block, orderer);
    progress(`joining ${org.name}'s peer to channel ${channelName}`);
    return await joinPeer(org, block);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
