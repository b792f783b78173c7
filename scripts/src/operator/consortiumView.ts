// What `consortium show` reports: the channel's orgs and nodes from its configuration, each local
// node's health, the channel height on each peer, and the committed chaincode definition with the
// orgs that approved it. Everything is read through Fabric's own CLIs as the chosen org's admin. On
// an org's own host (--state) only that org's nodes are asked: the others are the configuration's.
import { portPlan, portsOf } from '../env/portPlan';
import { queryCommittedDefinition, type CommittedDefinition } from '../network/chaincodeDeployment';
import { channelHeight, fetchChannelMembers, type ChannelOrg } from '../network/channelConfig';
import { fetchOperations } from '../network/operationsEndpoint';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  joiningOrgs,
  ordererEndpoint,
  ordererOrg,
  orgMspDir,
  peerEndpoint,
  peerOrgs,
  type PeerOrgSpec,
} from '../network/topology';
import { OperatorError, oneLineReason } from './operatorError';

export type Health = 'ok' | 'unhealthy' | 'unreachable';

export interface PeerStatus {
  org: string;
  peer: string;
  endpoint: string;
  health: Health;
  /** The channel's block height on this peer; null when the peer could not be asked. */
  height: number | null;
}

export interface OrdererStatus {
  node: string;
  endpoint: string;
  health: Health;
}

export interface ConsortiumView {
  channel: string;
  orgs: (Omit<ChannelOrg, 'msp'> & { mspId: string; nodeOus: string[] })[];
  consenters: string[];
  peers: PeerStatus[];
  orderers: OrdererStatus[];
  chaincode: CommittedDefinition | null;
}

export interface ConsortiumQuery {
  /** The peer org whose admin reads the channel. */
  as: PeerOrgSpec;
  /** Another address of that org's peer than the port plan's. */
  peerAddress?: string;
  progress: (line: string) => void;
}

/** Tries twice, 10 s each: a node busy enough to miss one probe is slow, not unreachable. */
async function health(operationsPort: number, attempts = 2): Promise<Health> {
  try {
    const response = await fetchOperations(operationsPort, '/healthz', {
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? 'ok' : 'unhealthy';
  } catch {
    return attempts > 1 ? health(operationsPort, attempts - 1) : 'unreachable';
  }
}

async function peerStatus(org: PeerOrgSpec): Promise<PeerStatus> {
  const nodeHealth = await health(portsOf(portPlan.peer, org.name).operations);
  let height: number | null = null;
  if (nodeHealth !== 'unreachable') {
    try {
      height = await channelHeight(org, { timeoutMs: 30_000 });
    } catch {
      // Reported as an unknown height; the peer's own log says why.
    }
  }
  return { org: org.name, peer: org.peer, endpoint: peerEndpoint(org.name), health: nodeHealth, height };
}

async function ordererStatus(node: string): Promise<OrdererStatus> {
  return {
    node,
    endpoint: ordererEndpoint(node),
    health: await health(portsOf(portPlan.orderer, node).operations),
  };
}

/** Committed definition, or null when none is committed yet (the peer answered, with nothing). */
async function committedOrNone(query: ConsortiumQuery): Promise<CommittedDefinition | null> {
  try {
    return await queryCommittedDefinition(query.as, { address: query.peerAddress, timeoutMs: 30_000 });
  } catch (error) {
    if (error instanceof Error && /not found|namespace .* is not defined/i.test(error.message)) return null;
    throw error;
  }
}

/** Whether this state directory holds `org` (its MSP), so its admin and node credentials are here. */
function hostedHere(org: string): boolean {
  return fs.existsSync(path.join(orgMspDir(org), 'config.yaml'));
}

export async function readConsortium(query: ConsortiumQuery): Promise<ConsortiumView> {
  const address = query.peerAddress ?? peerEndpoint(query.as.name);
  query.progress(`reading the channel configuration through ${address} as ${query.as.name}'s admin`);
  const members = await fetchChannelMembers(query.as, {
    address: query.peerAddress,
    timeoutMs: 30_000,
  }).catch((error: unknown) => {
    throw new OperatorError(
      'PEER_UNREACHABLE',
      `cannot read the channel configuration from peer ${address}: ${oneLineReason(error)}`,
    );
  });
  query.progress('reading the committed chaincode definition');
  const chaincode = await committedOrNone(query);
  query.progress('asking every node for its health and every peer for its height');
  const inChannel = new Set(members.orgs.map((org) => org.name));
  const localPeers = [...peerOrgs, ...joiningOrgs].filter(
    (org) => inChannel.has(org.name) && hostedHere(org.name),
  );
  const [peers, orderers] = await Promise.all([
    Promise.all(localPeers.map(peerStatus)),
    Promise.all((hostedHere(ordererOrg.name) ? ordererOrg.nodes : []).map(ordererStatus)),
  ]);
  return {
    channel: members.channel,
    orgs: members.orgs.map(({ msp, ...org }) => ({
      ...org,
      mspId: msp.mspId,
      nodeOus: Object.keys(msp.nodeOus),
    })),
    consenters: members.consenters,
    peers,
    orderers,
    chaincode,
  };
}
