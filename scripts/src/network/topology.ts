// The network's organizations, nodes and identities (network/topology.json) joined with the port
// plan, and the state-directory layout of each org's crypto material.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, stateDir } from '../env/paths';
import { endpoint, portPlan, portsOf } from '../env/portPlan';

export interface IdentitySpec {
  id: string;
  type: 'admin' | 'client' | 'peer' | 'orderer';
  attrs: Record<string, string>;
}

export interface PeerOrgSpec {
  name: string;
  mspId: string;
  peer: string;
  identities: IdentitySpec[];
}

interface TopologyFile {
  channel: string;
  ordering: {
    batchTimeout: string;
    maxMessageCount: number;
    absoluteMaxBytes: string;
    preferredMaxBytes: string;
  };
  chaincode: { name: string; label: string };
  /** The escrow chaincode's channel settings for this network; absent: the chaincode's defaults. */
  channelSettings?: {
    maxFeeBps: number;
    minInspectionPeriodSeconds: number;
    settlementPeriodSeconds?: number;
  };
  ordererOrg: { name: string; mspId: string; nodes: string[] };
  peerOrgs: PeerOrgSpec[];
  /** Marketplaces that join the live channel later, by a config update: `npm start` does not run them. */
  joiningOrgs?: PeerOrgSpec[];
}

const topologyFile = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'network', 'topology.json'), 'utf8'),
) as TopologyFile;

/** A tuning override the orderer would not accept; refused before anything starts. */
export class OrderingOverrideError extends Error {
  readonly code = 'ORDERING_OVERRIDE_INVALID';
  constructor(variable: string, expected: string, value: string) {
    super(`${variable} must be ${expected}, not ${value}`);
    this.name = 'OrderingOverrideError';
  }
}

/**
 * Block cutting for tuning runs: P2P_BATCH_TIMEOUT (e.g. `250ms`) and P2P_BATCH_MAX_MESSAGES override
 * network/topology.json. They shape the channel's genesis block, so they take effect on a new channel
 * only (`npm stop -- --clean`, then start with them set).
 */
export function orderingWithOverrides(
  ordering: TopologyFile['ordering'],
  env: NodeJS.ProcessEnv,
): TopologyFile['ordering'] {
  const timeout = env['P2P_BATCH_TIMEOUT'];
  const maxMessages = env['P2P_BATCH_MAX_MESSAGES'];
  if (timeout !== undefined && !/^\d+(ms|s)$/.test(timeout))
    throw new OrderingOverrideError('P2P_BATCH_TIMEOUT', 'a duration like 250ms or 1s', timeout);
  if (maxMessages !== undefined && !/^[1-9]\d*$/.test(maxMessages))
    throw new OrderingOverrideError('P2P_BATCH_MAX_MESSAGES', 'a positive integer', maxMessages);
  return {
    ...ordering,
    ...(timeout === undefined ? {} : { batchTimeout: timeout }),
    ...(maxMessages === undefined ? {} : { maxMessageCount: Number(maxMessages) }),
  };
}

export const topology: TopologyFile = {
  ...topologyFile,
  ordering: orderingWithOverrides(topologyFile.ordering, process.env),
};

export const channelName = topology.channel;
export const ordererOrg = topology.ordererOrg;
export const peerOrgs = topology.peerOrgs;
export const allOrgNames = [ordererOrg.name, ...peerOrgs.map((org) => org.name)];
/** The peer orgs an operator may set up to join the running channel (operator commands only). */
export const joiningOrgs: readonly PeerOrgSpec[] = topology.joiningOrgs ?? [];

/** The arbitration desk's org: it governs the channel's settings; every other peer org is a marketplace. */
export const GOVERNING_ORG = 'Oversight';

/** The topology's marketplaces, which the network setup registers as the chaincode's founding ones. */
export function foundingMarketplaces(): { name: string; mspId: string }[] {
  return peerOrgs.filter((org) => org.name !== GOVERNING_ORG).map(({ name, mspId }) => ({ name, mspId }));
}

/** A founding or a joining peer org, by name or MSP ID. */
export function peerOrg(name: string): PeerOrgSpec {
  const org = [...peerOrgs, ...joiningOrgs].find(
    (candidate) => candidate.name === name || candidate.mspId === name,
  );
  if (org === undefined) throw new Error(`no peer org ${name} in network/topology.json`);
  return org;
}

/** Crypto layout of one org under the state directory (another org's own state directory: `root`). */
export function orgDir(org: string, root = stateDir): string {
  return path.join(root, 'orgs', org.toLowerCase());
}

/** The org's public MSP definition: its CA and TLS CA certificates and NodeOU configuration. */
export function orgMspDir(org: string, root = stateDir): string {
  return path.join(orgDir(org, root), 'msp');
}

export function caCertPath(org: string, root = stateDir): string {
  return path.join(orgDir(org, root), 'ca-cert.pem');
}

export function nodeDir(org: string, node: string, root = stateDir): string {
  return path.join(orgDir(org, root), 'nodes', node);
}

export function identityDir(org: string, id: string, root = stateDir): string {
  return path.join(orgDir(org, root), 'users', id);
}

export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export function tlsFiles(dir: string): TlsFiles {
  return {
    cert: path.join(dir, 'tls', 'cert.pem'),
    key: path.join(dir, 'tls', 'key.pem'),
    ca: path.join(dir, 'tls', 'ca.pem'),
  };
}

export function peerEndpoint(orgName: string): string {
  return endpoint(portsOf(portPlan.peer, orgName).listen);
}

export function ordererEndpoint(node: string): string {
  return endpoint(portsOf(portPlan.orderer, node).listen);
}

/** The addresses the channel configuration names for a peer org's anchor peers. */
export function anchorPeersOf(org: PeerOrgSpec): { Host: string; Port: number }[] {
  return [{ Host: portPlan.host, Port: portsOf(portPlan.peer, org.name).listen }];
}

/** The orderer endpoints the channel configuration names for the orderer org. */
export function ordererAddresses(): string[] {
  return ordererOrg.nodes.map((node) => ordererEndpoint(node));
}

export function caUrl(org: string): string {
  return `https://${endpoint(portsOf(portPlan.ca, org).listen)}`;
}
