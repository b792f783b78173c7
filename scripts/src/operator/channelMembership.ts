// `channel add-org`, `channel sign-update`, `channel submit-update`: a new org joins the live channel
// by a config update that the existing orgs' admins sign one after another, each on its own host,
// passing the same envelope file along (as Fabric's "adding an org to a channel" tutorial does).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchChannelMembers } from '../network/channelConfig';
import {
  hasApplicationOrg,
  printOrgDefinition,
  signersOfUpdate,
  withApplicationOrg,
} from '../network/channelOrgAddition';
import {
  majoritySigners,
  prepareConfigUpdate,
  signConfigUpdate,
  submitConfigUpdate,
} from '../network/channelUpdate';
import { configtxlator, type RemoteNode } from '../network/fabricCli';
import type { PeerOrgSpec } from '../network/topology';
import { readBundle } from './channelFromBundles';
import { EXIT_USAGE, OperatorError } from './operatorError';

type Progress = (line: string) => void;

function usage(code: string, message: string): OperatorError {
  return new OperatorError(code, message, EXIT_USAGE);
}

export interface OrgAdditionRequest {
  bundle: string;
  /** The member org whose admin reads the current config and computes the update. */
  readAs: PeerOrgSpec;
  out: string;
  progress: Progress;
}

export interface OrgAddition {
  org: string;
  mspId: string;
  /** The channel's orgs whose admins must sign, in order; empty when the org is a member already. */
  signers: string[];
}

/** Writes the unsigned config update that adds the bundle's org to the channel. */
export async function prepareOrgAddition(request: OrgAdditionRequest): Promise<OrgAddition> {
  const { progress, out } = request;
  if (fs.existsSync(out)) throw usage('OUT_EXISTS', `${out} exists; choose a new file for the update`);
  progress(`checking the bundle ${request.bundle} against its manifest`);
  const { dir, manifest } = readBundle(request.bundle);
  if (manifest.kind !== 'application')
    throw usage('BUNDLE_INVALID', `bundle ${dir}: ${manifest.mspId} is not a peer org`);
  const anchorPeers = manifest.anchorPeers.map((address) => {
    const [host, port] = address.split(':');
    if (host === undefined || port === undefined || !/^\d{1,5}$/.test(port))
      throw usage('BUNDLE_INVALID', `bundle ${dir}: anchor peer ${address} is not host:port`);
    return { Host: host, Port: Number(port) };
  });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'org-addition-'));
  try {
    progress(`writing ${manifest.org}'s channel definition (configtxgen -printOrg)`);
    const definition = await printOrgDefinition(
      { name: manifest.org, mspId: manifest.mspId, mspDir: path.join(dir, 'msp'), anchorPeers },
      work,
    );
    const { signers } = await prepareConfigUpdate(
      {
        description: `${manifest.org} (${manifest.mspId}) joins the channel`,
        readAs: request.readAs,
        change: (config) => withApplicationOrg(config, manifest.org, definition),
        requiredSigners: [],
        isApplied: (config) => hasApplicationOrg(config, manifest.org),
        progress,
      },
      out,
    );
    return { org: manifest.org, mspId: manifest.mspId, signers };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The MSP IDs that signed the envelope file so far (decoded by configtxlator). */
export async function signersOfUpdateFile(file: string): Promise<string[]> {
  if (!fs.existsSync(file)) throw usage('UPDATE_NOT_FOUND', `no config update at ${file}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'config-update-'));
  try {
    const decoded = path.join(work, 'envelope.json');
    await configtxlator(['proto_decode', '--input', file, '--type', 'common.Envelope', '--output', decoded]);
    return signersOfUpdate(JSON.parse(fs.readFileSync(decoded, 'utf8')) as unknown);
  } catch (error) {
    if (error instanceof OperatorError) throw error;
    throw usage('UPDATE_INVALID', `${file} is not a config update envelope`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Adds the org admin's signature, refusing a second one of the same org. Returns all signers. */
export async function signUpdate(file: string, org: PeerOrgSpec, progress: Progress): Promise<string[]> {
  const before = await signersOfUpdateFile(file);
  if (before.includes(org.mspId)) throw usage('ALREADY_SIGNED', `${org.mspId} has signed ${file} already`);
  progress(`signing ${file} as ${org.name}'s admin`);
  await signConfigUpdate(org, file);
  return [...before, org.mspId];
}

export interface SubmitRequest {
  file: string;
  org: PeerOrgSpec;
  /** The orderer to send the update to, from the orderer org's bundle (default: the port plan's). */
  orderer?: RemoteNode;
  progress: Progress;
}

/**
 * Submits the envelope as the org's admin (whose signature is the last one), once it and the
 * signatures already on it make a majority of the members' admins: the orderer would refuse it
 * otherwise, with a less helpful message.
 */
export async function submitUpdate(request: SubmitRequest): Promise<string[]> {
  const { file, org, progress } = request;
  const signed = await signersOfUpdateFile(file);
  progress(`reading the channel's members through ${org.name}'s peer`);
  const members = (await fetchChannelMembers(org)).orgs.filter((member) => member.kind === 'application');
  const signers = [...new Set([...signed, org.mspId])];
  const signingMembers = members.filter((member) => signers.includes(member.msp.mspId));
  const needed = majoritySigners(
    members.map((member) => member.name),
    [],
  ).length;
  if (signingMembers.length < needed)
    throw usage(
      'NOT_ENOUGH_SIGNATURES',
      `${file} carries ${String(signingMembers.length)} of the ${String(needed)} member admins' signatures the channel needs (signed: ${signers.join(', ')})`,
    );
  progress(`submitting ${file} as ${org.name}'s admin (signed by ${signers.join(', ')})`);
  await submitConfigUpdate(org, file, request.orderer);
  return signers;
}
