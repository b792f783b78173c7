// Where an org's nodes are reached when the org runs on hosts of its own: the host address of the
// org, and the orderers that run on other hosts of the same org. `org init --address` records it
// in the org's state directory; its nodes' TLS certificates name it, its public bundle announces
// it, and `org start` binds to it. Without a record (the local demo) every node is on the port
// plan's address.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../env/paths';
import { portPlan } from '../env/portPlan';
import { orgDir } from './topology';

export interface OrgAddresses {
  /** The org's host: its CA, peer and chaincode server, and every node not named in `nodes`. */
  host: string;
  /** Nodes (orderers) on a host of their own. */
  nodes: Record<string, string>;
}

export function orgAddressesFile(org: string, root = stateDir): string {
  return path.join(orgDir(org, root), 'addresses.json');
}

export function readOrgAddresses(org: string, root = stateDir): OrgAddresses {
  const file = orgAddressesFile(org, root);
  if (!fs.existsSync(file)) return { host: portPlan.host, nodes: {} };
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<OrgAddresses>;
  return { host: parsed.host ?? portPlan.host, nodes: parsed.nodes ?? {} };
}

export function writeOrgAddresses(org: string, addresses: OrgAddresses, root = stateDir): void {
  const file = orgAddressesFile(org, root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(addresses, null, 2)}\n`);
}

export function nodeAddress(addresses: OrgAddresses, node: string): string {
  return addresses.nodes[node] ?? addresses.host;
}

/** An address option as given: `10.0.0.5` (the org's host) or `orderer2=10.0.0.6` (one node's). */
export function parseAddressOptions(values: readonly string[], fallback: string): OrgAddresses {
  const nodes: Record<string, string> = {};
  let host: string | undefined;
  for (const value of values) {
    const split = value.indexOf('=');
    if (split < 0) host = value;
    else nodes[value.slice(0, split)] = value.slice(split + 1);
  }
  return { host: host ?? fallback, nodes };
}
