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
  ordererOrg: { name: string; mspId: string; nodes: string[] };
  peerOrgs: PeerOrgSpec[];
}

export const topology = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'network', 'topology.json'), 'utf8'),
) as TopologyFile;

export const channelName = topology.channel;
export const ordererOrg = topology.ordererOrg;
export const peerOrgs = topology.peerOrgs;
export const allOrgNames = [ordererOrg.name, ...peerOrgs.map((org) => org.name)];

export function peerOrg(name: string): PeerOrgSpec {
  const org = peerOrgs.find((candidate) => candidate.name === name || candidate.mspId === name);
  if (org === undefined) throw new Error(`no peer org ${name} in network/topology.json`);
  return org;
}

/** Crypto layout of one org under the state directory. */
export function orgDir(org: string): string {
  return path.join(stateDir, 'orgs', org.toLowerCase());
}

export function orgMspDir(org: string): string {
  return path.join(orgDir(org), 'msp');
}

export function caCertPath(org: string): string {
  return path.join(orgDir(org), 'ca-cert.pem');
}

export function nodeDir(org: string, node: string): string {
  return path.join(orgDir(org), 'nodes', node);
}

export function identityDir(org: string, id: string): string {
  return path.join(orgDir(org), 'users', id);
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

export function caUrl(org: string): string {
  return `https://${endpoint(portsOf(portPlan.ca, org).listen)}`;
}
