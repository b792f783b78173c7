// Creates the application channel without a system channel: configtxgen writes its genesis block
// (orgs, policies, anchor peers, Raft consenters), every orderer joins it through the channel
// participation API, then every peer joins it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../env/paths';
import { portPlan, portsOf } from '../env/portPlan';
import { waitUntil } from '../runner/health';
import { retryStep, type StepRetryOptions } from '../runner/stepRetry';
import type { TaskSpec } from '../runner/serviceSpec';
import { writeGenesisBlock, type ChannelFounders } from './channelProfile';
import { ordererFlags, osnadmin, peerCli } from './fabricCli';
import { fetchOperations } from './operationsEndpoint';
import {
  anchorPeersOf,
  channelName,
  nodeDir,
  orgMspDir,
  ordererAddresses,
  ordererOrg,
  peerOrgs,
  tlsFiles,
  type PeerOrgSpec,
} from './topology';

const channelDir = path.join(stateDir, 'channel');
export const genesisBlockPath = path.join(channelDir, `${channelName}.block`);

/** The local consortium's founders, every MSP and certificate read from the local state directory. */
export function localFounders(): ChannelFounders {
  return {
    ordererOrg: {
      name: ordererOrg.name,
      mspId: ordererOrg.mspId,
      mspDir: orgMspDir(ordererOrg.name),
      endpoints: ordererAddresses(),
    },
    peerOrgs: peerOrgs.map((org) => ({
      name: org.name,
      mspId: org.mspId,
      mspDir: orgMspDir(org.name),
      anchorPeers: anchorPeersOf(org),
    })),
    consenters: ordererOrg.nodes.map((node) => ({
      host: portPlan.host,
      port: portsOf(portPlan.orderer, node).listen,
      tlsCert: tlsFiles(nodeDir(ordererOrg.name, node)).cert,
    })),
  };
}

async function createGenesisBlock(): Promise<void> {
  if (fs.existsSync(genesisBlockPath)) return;
  await writeGenesisBlock(localFounders(), channelName, genesisBlockPath, channelDir);
}

/** The orderer that currently leads the channel's Raft cluster, from its operations metrics. */
export async function raftLeader(): Promise<string | undefined> {
  const leaderLine = new RegExp(`^consensus_etcdraft_is_leader\\{channel="${channelName}"\\} 1$`, 'm');
  for (const [node, ports] of Object.entries(portPlan.orderer)) {
    try {
      const response = await fetchOperations(ports.operations, '/metrics');
      if (leaderLine.test(await response.text())) return node;
    } catch {
      // A stopped orderer leads nothing.
    }
  }
  return undefined;
}

/** The channels an orderer has joined, from `osnadmin channel list` output (a status line, then JSON). */
export function channelsListed(output: string): string[] {
  const start = output.indexOf('{');
  if (start < 0) throw new Error(`osnadmin channel list printed no JSON: ${output.trim()}`);
  const body = JSON.parse(output.slice(start)) as { channels?: { name: string }[] | null };
  return (body.channels ?? []).map((channel) => channel.name);
}

/** The channels one orderer of the orderer org has joined (its channel participation API). */
export async function ordererChannels(node: string): Promise<string[]> {
  return channelsListed(await osnadmin(node, ['list']));
}

/**
 * Joins one orderer to `channel` from its genesis `block` through the channel participation API, as
 * the orderer org's admin; false when the orderer is a member already.
 */
export async function joinOrderer(node: string, channel: string, block: string): Promise<boolean> {
  if ((await ordererChannels(node)).includes(channel)) return false;
  await osnadmin(node, ['join', '--channelID', channel, '--config-block', block]);
  return true;
}

/**
 * A node that just turned healthy may still refuse its first admin call for a moment (a restarted
 * orderer opening its endpoints one by one): a join is retried a few times within half a minute.
 */
export const JOIN_RETRIES: StepRetryOptions = { attempts: 8, withinMs: 30_000 };

export function ordererChannelTask(ordererServices: string[], cryptoTasks: string[]): TaskSpec {
  return {
    kind: 'task',
    name: 'channel-orderers',
    description: `create channel ${channelName} and join every orderer`,
    dependsOn: [...ordererServices, ...cryptoTasks],
    run: async () => {
      await createGenesisBlock();
      await Promise.all(
        ordererOrg.nodes.map((node) =>
          retryStep(() => joinOrderer(node, channelName, genesisBlockPath), JOIN_RETRIES),
        ),
      );
      // Transactions sent before the cluster has elected a leader are refused (SERVICE_UNAVAILABLE).
      if (!(await waitUntil(async () => (await raftLeader()) !== undefined, 60_000))) {
        throw new Error(`no Raft leader elected for channel ${channelName} after 60s`);
      }
    },
  };
}

/** True when the org's peer is a member of the channel (`peer channel list`). */
export async function peerIsMember(org: PeerOrgSpec): Promise<boolean> {
  const joined = await peerCli(org, ['channel', 'list']);
  return joined.split('\n').some((line) => line.trim() === channelName);
}

/**
 * Fetches the channel's genesis block (block 0) from an orderer as the org's admin, into `file`: what
 * a peer needs to join when its operator holds no block file. `orderer` is host:port (default: the
 * port plan's first orderer).
 */
export async function fetchGenesisBlock(org: PeerOrgSpec, file: string, orderer?: string): Promise<void> {
  await peerCli(org, ['channel', 'fetch', '0', file, '-c', channelName, ...ordererFlags(orderer)]);
}

/** Joins the org's peer to the channel from `block` (its genesis block); false when it was a member already. */
export async function joinPeer(org: PeerOrgSpec, block = genesisBlockPath): Promise<boolean> {
  if (await peerIsMember(org)) return false;
  await peerCli(org, ['channel', 'join', '-b', block]);
  return true;
}

export function peerChannelTask(peerServices: string[]): TaskSpec {
  return {
    kind: 'task',
    name: 'channel-peers',
    description: `join every peer to channel ${channelName}`,
    dependsOn: ['channel-orderers', ...peerServices],
    run: async () => {
      await Promise.all(peerOrgs.map((org) => retryStep(() => joinPeer(org), JOIN_RETRIES)));
    },
  };
}
