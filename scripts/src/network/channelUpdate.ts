// One channel configuration update, the way Fabric's docs do it: fetch the latest config block,
// change its JSON, `configtxlator compute_update`, wrap the update in an envelope, have each
// required org's admin sign it in its own step (`peer channel signconfigtx`, as if on its own host),
// submit it (`peer channel update`, which adds the submitter's signature), then wait until every
// peer's latest config shows the change. Revoking a certificate and onboarding an org both use it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { configOfBlock, fetchDecodedConfigBlock } from './channelConfig';
import { configtxlator, ordererFlags, peerCli, type RemoteNode } from './fabricCli';
import { channelName, peerOrg, peerOrgs, type PeerOrgSpec } from './topology';

type Json = Record<string, unknown>;

/** The application orgs of a decoded common.Config, in its order. */
export function applicationOrgNames(config: unknown): string[] {
  const application = (config as { channel_group?: { groups?: { Application?: { groups?: Json } } } })
    .channel_group?.groups?.Application?.groups;
  return typeof application === 'object' ? Object.keys(application) : [];
}

/**
 * The orgs whose admins satisfy the channel's `MAJORITY Admins` policy: more than half of the
 * application orgs, `required` first (an org's own MSP value is guarded by that org's Admins).
 */
export function majoritySigners(orgNames: readonly string[], required: readonly string[]): string[] {
  for (const name of required)
    if (!orgNames.includes(name)) throw new Error(`${name} is not an application org of the channel`);
  const needed = Math.max(Math.floor(orgNames.length / 2) + 1, required.length);
  const others = orgNames.filter((name) => !required.includes(name));
  return [...required, ...others].slice(0, needed);
}

/** A config update envelope (common.Envelope JSON) around a decoded common.ConfigUpdate. */
export function configUpdateEnvelope(channel: string, configUpdate: unknown): unknown {
  return {
    payload: {
      header: { channel_header: { channel_id: channel, type: 2 } },
      data: { config_update: configUpdate },
    },
  };
}

export interface ChannelConfigChange {
  /** What the change does, for progress lines. */
  description: string;
  /** The org whose admin reads the current config through its peer. */
  readAs: PeerOrgSpec;
  /** The new config from the current one (pure). */
  change(config: unknown): unknown;
  /** The org names that must sign besides a majority (e.g. the org whose MSP changes). */
  requiredSigners: readonly string[];
  /** Whether a config has the change: how the update is known to have reached each peer. */
  isApplied(config: unknown): boolean;
  progress(line: string): void;
  /** How long to wait for every peer to hold the new config. */
  timeoutMs?: number;
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.promises.writeFile(file, JSON.stringify(value));
}

/** Encodes the change as a signed-ready config update envelope file; returns its path. */
async function computeUpdateEnvelope(work: string, current: unknown, updated: unknown): Promise<string> {
  const file = (name: string) => path.join(work, name);
  await writeJson(file('current.json'), current);
  await writeJson(file('updated.json'), updated);
  for (const name of ['current', 'updated'])
    await configtxlator([
      'proto_encode',
      '--input',
      file(`${name}.json`),
      '--type',
      'common.Config',
      '--output',
      file(`${name}.pb`),
    ]);
  await configtxlator([
    'compute_update',
    '--channel_id',
    channelName,
    '--original',
    file('current.pb'),
    '--updated',
    file('updated.pb'),
    '--output',
    file('update.pb'),
  ]);
  await configtxlator([
    'proto_decode',
    '--input',
    file('update.pb'),
    '--type',
    'common.ConfigUpdate',
    '--output',
    file('update.json'),
  ]);
  const update = JSON.parse(await fs.promises.readFile(file('update.json'), 'utf8')) as unknown;
  await writeJson(file('envelope.json'), configUpdateEnvelope(channelName, update));
  await configtxlator([
    'proto_encode',
    '--input',
    file('envelope.json'),
    '--type',
    'common.Envelope',
    '--output',
    file('envelope.pb'),
  ]);
  return file('envelope.pb');
}

/** Waits, bounded in time, until every local peer's latest config block has the change. */
async function waitForPeers(change: ChannelConfigChange, orgs: readonly PeerOrgSpec[]): Promise<void> {
  const deadline = Date.now() + (change.timeoutMs ?? 60_000);
  for (const org of orgs) {
    change.progress(`waiting for ${org.name}'s peer to hold the new config`);
    for (let attempt = 1; ; attempt += 1) {
      const config = configOfBlock(await fetchDecodedConfigBlock(org, { timeoutMs: 30_000 }));
      if (change.isApplied(config)) break;
      if (Date.now() > deadline || attempt >= 60)
        throw new Error(`${org.name}'s peer did not get the new channel config in time`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export interface PreparedUpdate {
  /** The channel's application orgs before the update. */
  members: string[];
  /** The orgs whose admins must sign, in order (the last one submits); none when nothing changes. */
  signers: string[];
}

/**
 * Writes the update `change` makes as an unsigned config update envelope at `out`, for the required
 * admins to sign one after another (the file travels between their hosts). When the channel already
 * has the change nothing is written and no one needs to sign.
 */
export async function prepareConfigUpdate(change: ChannelConfigChange, out: string): Promise<PreparedUpdate> {
  change.progress(`fetching the channel config through ${change.readAs.name}'s peer`);
  const current = configOfBlock(await fetchDecodedConfigBlock(change.readAs));
  const members = applicationOrgNames(current);
  const updated = change.change(current);
  if (isDeepStrictEqual(current, updated) || change.isApplied(current)) return { members, signers: [] };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'config-update-'));
  try {
    change.progress(`computing the config update: ${change.description}`);
    fs.copyFileSync(await computeUpdateEnvelope(work, current, updated), out);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { members, signers: majoritySigners(members, change.requiredSigners) };
}

/** Adds the org admin's signature to the config update envelope file (`peer channel signconfigtx`). */
export async function signConfigUpdate(signer: PeerOrgSpec, envelope: string): Promise<void> {
  await peerCli(signer, ['channel', 'signconfigtx', '-f', envelope]);
}

/** Signs the envelope as the submitter's admin too and sends it to the ordering service. */
export async function submitConfigUpdate(
  submitter: PeerOrgSpec,
  envelope: string,
  orderer?: RemoteNode,
): Promise<void> {
  await peerCli(submitter, [
    'channel',
    'update',
    '-f',
    envelope,
    '-c',
    channelName,
    ...ordererFlags(orderer),
  ]);
}

/** Waits until the peers of `members` that this host's topology knows hold the change. */
export async function waitForConfigUpdate(change: ChannelConfigChange, members: string[]): Promise<void> {
  await waitForPeers(
    change,
    peerOrgs.filter((org) => members.includes(org.name)),
  );
}

/**
 * Applies `change` to the channel; returns false when the config already had it (nothing submitted).
 * Every signer's admin identity is in this host's state directory; each signs in its own step, as
 * the operator commands let admins on separate hosts do with the same envelope file.
 */
export async function updateChannelConfig(change: ChannelConfigChange): Promise<boolean> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'config-update-'));
  try {
    const envelope = path.join(work, 'update.pb');
    const { members, signers: signerNames } = await prepareConfigUpdate(change, envelope);
    if (signerNames.length > 0) {
      const signers = signerNames.map((name) => peerOrg(name));
      const submitter = signers.at(-1);
      if (submitter === undefined) throw new Error('the channel has no application org to sign');
      for (const signer of signers.slice(0, -1)) {
        change.progress(`signing the update as ${signer.name}'s admin`);
        await signConfigUpdate(signer, envelope);
      }
      change.progress(`signing and submitting the update as ${submitter.name}'s admin`);
      await submitConfigUpdate(submitter, envelope);
    }
    await waitForConfigUpdate(change, members);
    return signerNames.length > 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
