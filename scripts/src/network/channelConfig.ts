// The channel's current configuration as its peers hold it: fetched with `peer channel fetch config`
// and decoded by `configtxlator`, then read into the orgs, their MSPs, anchor peers, orderer endpoints
// and Raft consenters. The reader is pure, so it is tested on a decoded block without a network.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configtxlator, peerCli, type PeerCliOptions } from './fabricCli';
import { channelName, type PeerOrgSpec } from './topology';

/** An org's MSP as the channel configuration defines it; certificates are PEM text. */
export interface ChannelMsp {
  mspId: string;
  rootCerts: string[];
  tlsRootCerts: string[];
  /** NodeOU identifiers (admin, client, peer, orderer) when NodeOUs are enabled. */
  nodeOus: Record<string, string>;
}

export interface ChannelOrg {
  /** The org's group name in the configuration (its name in network/topology.json). */
  name: string;
  kind: 'application' | 'orderer';
  msp: ChannelMsp;
  anchorPeers: string[];
  ordererEndpoints: string[];
}

export interface ChannelMembers {
  channel: string;
  orgs: ChannelOrg[];
  /** The Raft cluster's members, as host:port. */
  consenters: string[];
}

type Json = Record<string, unknown>;

function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[key];
  }
  return current;
}

function objectAt(value: unknown, ...keys: string[]): Json {
  const found = field(value, ...keys);
  return typeof found === 'object' && found !== null ? (found as Json) : {};
}

function arrayAt(value: unknown, ...keys: string[]): unknown[] {
  const found = field(value, ...keys);
  return Array.isArray(found) ? found : [];
}

function pem(base64: unknown): string {
  return typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('utf8') : '';
}

function hostPort(entry: unknown): string {
  return `${String(field(entry, 'host'))}:${String(field(entry, 'port'))}`;
}

function mspOf(group: unknown): ChannelMsp {
  const config = objectAt(group, 'values', 'MSP', 'value', 'config');
  const ous = objectAt(config, 'fabric_node_ous');
  const nodeOus: Record<string, string> = {};
  if (field(ous, 'enable') === true) {
    for (const role of ['admin', 'client', 'peer', 'orderer']) {
      const identifier = field(ous, `${role}_ou_identifier`, 'organizational_unit_identifier');
      if (typeof identifier === 'string') nodeOus[role] = identifier;
    }
  }
  return {
    mspId: String(config['name']),
    rootCerts: arrayAt(config, 'root_certs').map(pem),
    tlsRootCerts: arrayAt(config, 'tls_root_certs').map(pem),
    nodeOus,
  };
}

/** Reads the members of a channel from its config block decoded by `configtxlator proto_decode`. */
export function channelMembersOf(decodedBlock: unknown): ChannelMembers {
  const envelope = arrayAt(decodedBlock, 'data', 'data')[0];
  const channelGroup = objectAt(envelope, 'payload', 'data', 'config', 'channel_group');
  const channel = String(field(envelope, 'payload', 'header', 'channel_header', 'channel_id'));
  const application = objectAt(channelGroup, 'groups', 'Application', 'groups');
  const orderer = objectAt(channelGroup, 'groups', 'Orderer');
  const orgs: ChannelOrg[] = [
    ...Object.entries(application).map(([name, group]) => ({
      name,
      kind: 'application' as const,
      msp: mspOf(group),
      anchorPeers: arrayAt(group, 'values', 'AnchorPeers', 'value', 'anchor_peers').map(hostPort),
      ordererEndpoints: [],
    })),
    ...Object.entries(objectAt(orderer, 'groups')).map(([name, group]) => ({
      name,
      kind: 'orderer' as const,
      msp: mspOf(group),
      anchorPeers: [],
      ordererEndpoints: arrayAt(group, 'values', 'Endpoints', 'value', 'addresses').map(String),
    })),
  ];
  const consenters = arrayAt(orderer, 'values', 'ConsensusType', 'value', 'metadata', 'consenters').map(
    hostPort,
  );
  return { channel, orgs, consenters };
}

/**
 * The channel's latest config block as the org's peer holds it (`peer channel fetch config` without an
 * orderer asks the peer), decoded to JSON by configtxlator.
 */
export async function fetchDecodedConfigBlock(
  org: PeerOrgSpec,
  options: PeerCliOptions = {},
): Promise<unknown> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-config-'));
  try {
    const block = path.join(work, 'config.block');
    await peerCli(org, ['channel', 'fetch', 'config', block, '-c', channelName], options);
    // configtxlator's default output, /dev/stdout, cannot be opened when stdout is a socket.
    const decoded = path.join(work, 'config.json');
    await configtxlator(['proto_decode', '--input', block, '--type', 'common.Block', '--output', decoded]);
    return JSON.parse(fs.readFileSync(decoded, 'utf8')) as unknown;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The channel configuration (common.Config) inside a decoded config block. */
export function configOfBlock(decodedBlock: unknown): unknown {
  return field(arrayAt(decodedBlock, 'data', 'data')[0], 'payload', 'data', 'config');
}

/** Fetches the channel's latest config block through the org's peer and reads its members. */
export async function fetchChannelMembers(
  org: PeerOrgSpec,
  options: PeerCliOptions = {},
): Promise<ChannelMembers> {
  return channelMembersOf(await fetchDecodedConfigBlock(org, options));
}

/** The channel's block height on the org's peer (`peer channel getinfo`). */
export async function channelHeight(org: PeerOrgSpec, options: PeerCliOptions = {}): Promise<number> {
  const output = await peerCli(org, ['channel', 'getinfo', '-c', channelName], options);
  const height = /"height":(\d+)/.exec(output)?.[1];
  if (height === undefined) throw new Error(`peer channel getinfo printed no height: ${output.trim()}`);
  return Number(height);
}
