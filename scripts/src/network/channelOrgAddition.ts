// Adding an application org to a live channel: the org's definition as Fabric writes it
// (`configtxgen -printOrg` over the same configtx.yaml section the founders get, from the new org's
// public bundle) and the pure change that puts it into the channel's Application group.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { fabricBin } from '../env/paths';
import { runCommand } from '../env/command';
import { peerOrgSection, type FoundingPeerOrg } from './channelProfile';
import { applicationOrgNames } from './channelUpdate';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A refused org addition: a name or MSP ID the channel already has. */
export class OrgAlreadyInChannelError extends Error {
  readonly code = 'ORG_ALREADY_IN_CHANNEL';
  constructor(detail: string) {
    super(detail);
    this.name = 'OrgAlreadyInChannelError';
  }
}

/** The MSP IDs of the channel's application orgs, by org group name. */
function applicationMspIds(config: unknown): Map<string, string> {
  const groups = (config as { channel_group?: { groups?: { Application?: { groups?: Json } } } })
    .channel_group?.groups?.Application?.groups;
  const ids = new Map<string, string>();
  for (const [name, group] of Object.entries(isObject(groups) ? groups : {})) {
    const mspId = (group as { values?: { MSP?: { value?: { config?: { name?: unknown } } } } }).values?.MSP
      ?.value?.config?.name;
    ids.set(name, typeof mspId === 'string' ? mspId : '');
  }
  return ids;
}

/** The MSP ID an org definition (configtxgen -printOrg's output) declares. */
export function mspIdOfDefinition(definition: unknown): string {
  const mspId = (definition as { values?: { MSP?: { value?: { config?: { name?: unknown } } } } }).values?.MSP
    ?.value?.config?.name;
  if (typeof mspId !== 'string' || mspId === '') throw new Error('the org definition names no MSP ID');
  return mspId;
}

/** Whether the channel has an application org named `name`. */
export function hasApplicationOrg(config: unknown, name: string): boolean {
  return applicationOrgNames(config).includes(name);
}

/**
 * A copy of `config` with `definition` as the application org `name`. Refuses a name or an MSP ID
 * the channel already has: an org replaces its own MSP through its own admins, never by an addition.
 */
export function withApplicationOrg(config: unknown, name: string, definition: unknown): unknown {
  const mspId = mspIdOfDefinition(definition);
  for (const [existing, existingMspId] of applicationMspIds(config)) {
    if (existing === name) throw new OrgAlreadyInChannelError(`${name} is already an org of the channel`);
    if (existingMspId === mspId)
      throw new OrgAlreadyInChannelError(`${existing} already uses the MSP ID ${mspId}`);
  }
  const copy = structuredClone(config) as Json;
  const application = (copy as { channel_group?: { groups?: { Application?: { groups?: Json } } } })
    .channel_group?.groups?.Application;
  if (!isObject(application) || !isObject(application['groups']))
    throw new Error('the channel config has no Application group');
  application['groups'][name] = structuredClone(definition);
  return copy;
}

/**
 * The org's definition as Fabric encodes it for a channel: configtxgen -printOrg over the org's
 * configtx.yaml section (its MSP from the bundle, anchor peers, policies), written under `workDir`.
 */
export async function printOrgDefinition(org: FoundingPeerOrg, workDir: string): Promise<unknown> {
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(
    path.join(workDir, 'configtx.yaml'),
    YAML.stringify({ Organizations: [peerOrgSection(org)] }),
  );
  const printed = await runCommand(fabricBin('configtxgen'), ['-printOrg', org.name, '-configPath', workDir]);
  return JSON.parse(printed) as unknown;
}

/**
 * The MSP IDs that have signed a config update envelope (`configtxlator proto_decode --type
 * common.Envelope`), in signing order: what an admin checks before adding a signature or submitting.
 */
export function signersOfUpdate(decodedEnvelope: unknown): string[] {
  const signatures = (decodedEnvelope as { payload?: { data?: { signatures?: unknown } } }).payload?.data
    ?.signatures;
  if (!Array.isArray(signatures)) return [];
  return signatures.map((signature) => {
    const mspId = (signature as { signature_header?: { creator?: { mspid?: unknown } } }).signature_header
      ?.creator?.mspid;
    return typeof mspId === 'string' ? mspId : '';
  });
}
