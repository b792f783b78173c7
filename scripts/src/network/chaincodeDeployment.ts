// Chaincode as a service: packages the escrow chaincode as a `ccaas` package (its label carries a
// hash of the built code, so a changed chaincode gets a new package, version and sequence), runs one
// chaincode server per peer org (or one shared, for tuning), and installs, approves and commits the
// definition.
import { collectionsConfig } from '@p2p-escrow/chaincode';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, stateDir } from '../env/paths';
import { endpoint, portPlan, portsOf } from '../env/portPlan';
import { runCommand } from '../env/command';
import { waitUntil } from '../runner/health';
import type { DaemonSpec, TaskSpec } from '../runner/serviceSpec';
import { applyChannelSettings } from './channelSettings';
import { endorserFlags, type RemoteNodes } from './chaincodeInvoke';
import { registerFoundingMarketplaces } from './marketplaceRegistry';
import { fetchChannelMembers } from './channelConfig';
import { definitionEndorsementPolicy } from './definitionPolicy';
import { ordererFlags, peerCli, type PeerCliOptions, type RemoteNode } from './fabricCli';
import { fetchOperations } from './operationsEndpoint';
import {
  caCertPath,
  channelName,
  GOVERNING_ORG,
  nodeDir,
  peerOrgs,
  tlsFiles,
  topology,
  type PeerOrgSpec,
} from './topology';

const chaincodeDir = path.join(repoRoot, 'chaincode');
// The founding marketplaces' collections as the chaincode's generator writes them (its unit test holds it so).
const foundingCollectionsFile = path.join(chaincodeDir, 'collections.json');
const chaincodeServerModule = path.join(chaincodeDir, 'server');
const packageDir = path.join(stateDir, 'chaincode');
const packageIdFile = path.join(packageDir, 'package-id');
const deployedPackageIdFile = path.join(packageDir, 'deployed-package-id');
export const chaincodeName = topology.chaincode.name;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : [full];
    })
    .sort();
}

/** A short hash of everything that defines the running chaincode: its build, manifest and collections. */
export function chaincodeVersion(): string {
  const hash = crypto.createHash('sha256');
  const inputs = [
    ...filesUnder(path.join(chaincodeDir, 'dist')),
    path.join(chaincodeDir, 'package.json'),
    path.join(chaincodeServerModule, 'package.json'),
    foundingCollectionsFile,
  ];
  for (const file of inputs.filter(
    (candidate) => fs.existsSync(candidate) && !candidate.includes('.test.'),
  )) {
    hash.update(path.relative(chaincodeDir, file)).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export function currentPackageId(): string {
  return fs.readFileSync(packageIdFile, 'utf8').trim();
}

/** The package id of the committed definition: what the chaincode servers must answer to. */
export function deployedPackageId(): string {
  return fs.readFileSync(deployedPackageIdFile, 'utf8').trim();
}

/** Writes the ccaas package deterministically (fixed mtimes, owners, order, no gzip timestamp). */
async function writePackage(label: string, file: string): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccaas-'));
  try {
    // Addresses and TLS files differ per org; the peer's builder fills them from its own config.
    const connection = {
      address: '{{.chaincodeAddress}}',
      dial_timeout: '10s',
      tls_required: true,
      client_auth_required: true,
    };
    fs.mkdirSync(path.join(work, 'src'));
    fs.writeFileSync(path.join(work, 'src', 'connection.json'), JSON.stringify(connection, null, 2));
    fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
    const tarFlags = ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner'];
    await runCommand(
      'bash',
      ['-c', `tar ${tarFlags.join(' ')} -C src -cf - connection.json | gzip -n > code.tar.gz`],
      { cwd: work },
    );
    await runCommand(
      'bash',
      ['-c', `tar ${tarFlags.join(' ')} -cf - metadata.json code.tar.gz | gzip -n > "${file}"`],
      { cwd: work },
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function packageTask(): TaskSpec {
  return {
    kind: 'task',
    name: 'chaincode-package',
    description: 'package the escrow chaincode for chaincode-as-a-service',
    dependsOn: [],
    run: async () => {
      if (!fs.existsSync(path.join(chaincodeDir, 'dist', 'server.js'))) {
        throw new Error('chaincode/dist is missing: run `npm run build` first');
      }
      const label = `${chaincodeName}_${chaincodeVersion()}`;
      const file = path.join(packageDir, `${label}.tar.gz`);
      fs.mkdirSync(packageDir, { recursive: true });
      if (!fs.existsSync(file)) await writePackage(label, file);
      const digest = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      fs.writeFileSync(packageIdFile, `${label}:${digest}\n`);
    },
  };
}

/** P2P_CHAINCODE_SERVERS holds something else than per-org or shared. */
export class ChaincodeServersSettingError extends Error {
  readonly code = 'CHAINCODE_SERVERS_SETTING_INVALID';
  constructor(value: string) {
    super(`P2P_CHAINCODE_SERVERS must be per-org or shared, not ${value}`);
    this.name = 'ChaincodeServersSettingError';
  }
}

/**
 * Who runs a chaincode server. By default every peer org runs its own, so no org executes its
 * endorsements in code another org operates. P2P_CHAINCODE_SERVERS=shared is a tuning setting: one
 * server, run by Oversight, serves all three peers (fewer processes on a small machine).
 */
export function chaincodeServersShared(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env['P2P_CHAINCODE_SERVERS'] ?? 'per-org';
  if (setting !== 'per-org' && setting !== 'shared') throw new ChaincodeServersSettingError(setting);
  return setting === 'shared';
}

const sharedServerOrg = 'Oversight';

/** The org whose chaincode server `org`'s peer connects to. */
function serverOrgOf(org: PeerOrgSpec): PeerOrgSpec {
  return chaincodeServersShared() ? (peerOrgs.find((o) => o.name === sharedServerOrg) ?? org) : org;
}

/** The orgs that run a chaincode server. */
export function chaincodeServerOrgs(): PeerOrgSpec[] {
  return [...new Set(peerOrgs.map(serverOrgOf))];
}

export function chaincodeServerName(org: PeerOrgSpec): string {
  return `chaincode-${org.name.toLowerCase()}`;
}

/** The CA certificates whose peers may connect: the org's own, or every peer org's for a shared server. */
function clientCaFile(org: PeerOrgSpec): string {
  if (!chaincodeServersShared()) return caCertPath(org.name);
  const bundle = path.join(packageDir, 'shared-server-client-cas.pem');
  fs.mkdirSync(packageDir, { recursive: true });
  fs.writeFileSync(
    bundle,
    peerOrgs.map((peerOrg) => fs.readFileSync(caCertPath(peerOrg.name), 'utf8')).join(''),
  );
  return bundle;
}

/**
 * The org's chaincode server, started after `chaincodeReady`: the consortium's deploy task in the
 * local demo, or the org's own install task when the org runs on its own host.
 */
export function chaincodeServerDaemon(org: PeerOrgSpec, chaincodeReady = 'chaincode-deploy'): DaemonSpec {
  const port = portsOf(portPlan.chaincodeServer, org.name).listen;
  const tls = tlsFiles(nodeDir(org.name, 'chaincode-server'));
  return {
    kind: 'daemon',
    name: chaincodeServerName(org),
    description: `escrow chaincode server run by ${org.name}`,
    dependsOn: [chaincodeReady],
    command: process.execPath,
    // The server's entry module (server/package.json names dist/server.js), apart from the package's face.
    args: [
      path.join(repoRoot, 'node_modules', 'fabric-shim', 'cli.js'),
      'server',
      '--module-path',
      chaincodeServerModule,
    ],
    get env() {
      return {
        CORE_CHAINCODE_ADDRESS: endpoint(port),
        CORE_CHAINCODE_ID: deployedPackageId(),
        CORE_CHAINCODE_TLS_CERT_FILE: tls.cert,
        CORE_CHAINCODE_TLS_KEY_FILE: tls.key,
        // Only the org's own peer (its TLS cert comes from the same CA) may connect, or every peer
        // org's when the server is shared.
        CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE: clientCaFile(org),
        // fabric-shim logs two lines at info for every transaction it runs (formatted and coloured by
        // winston), a tenth of the server's CPU under load; the peer logs each execution's duration.
        CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING',
      };
    },
    // A new definition (changed chaincode) needs servers that answer to its package id.
    fingerprint: deployedPackageId,
    cwd: chaincodeDir,
    ports: [port],
    health: { kind: 'tcp', host: portPlan.host, port },
    startTimeoutSeconds: 60,
  };
}

/** What each peer's CCaaS builder needs to reach its org's chaincode server (CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG). */
export function builderConfig(org: PeerOrgSpec): string {
  const peerTls = tlsFiles(nodeDir(org.name, org.peer));
  const server = serverOrgOf(org);
  return JSON.stringify({
    chaincodeAddress: endpoint(portsOf(portPlan.chaincodeServer, server.name).listen),
    rootCertFile: caCertPath(server.name),
    clientCertFile: peerTls.cert,
    clientKeyFile: peerTls.key,
  });
}

/** The chaincode definition committed on the channel, as `peer lifecycle chaincode querycommitted` reports it. */
export interface CommittedDefinition {
  name: string;
  sequence: number;
  version: string;
  /** The private data collections the definition carries, by name. */
  collections: string[];
  /** Which orgs approved this definition (MSP ID → approved). */
  approvals: Record<string, boolean>;
}

interface QueryCommittedOutput {
  sequence: number;
  version: string;
  // The peer CLI prints the collection package in protobuf's Go field names.
  collections?: { config?: { Payload?: { StaticCollectionConfig?: { name?: string } } }[] };
  approvals?: Record<string, boolean>;
}

/** Parses `querycommitted --output json`, whose JSON may follow log lines. */
export function parseCommittedDefinition(name: string, output: string): CommittedDefinition {
  const parsed = JSON.parse(output.slice(output.indexOf('{'))) as QueryCommittedOutput;
  return {
    name,
    sequence: parsed.sequence,
    version: parsed.version,
    collections: (parsed.collections?.config ?? []).flatMap((entry) => {
      const collectionName = entry.Payload?.StaticCollectionConfig?.name;
      return collectionName === undefined ? [] : [collectionName];
    }),
    approvals: parsed.approvals ?? {},
  };
}

/** The committed definition read through the org's peer; fails when the peer cannot be asked or none is committed. */
export async function queryCommittedDefinition(
  org: PeerOrgSpec,
  options: PeerCliOptions = {},
): Promise<CommittedDefinition> {
  const output = await peerCli(
    org,
    ['lifecycle', 'chaincode', 'querycommitted', '-C', channelName, '-n', chaincodeName, '--output', 'json'],
    options,
  );
  return parseCommittedDefinition(chaincodeName, output);
}

async function committedDefinition(org: PeerOrgSpec): Promise<CommittedDefinition | undefined> {
  try {
    return await queryCommittedDefinition(org);
  } catch {
    return undefined;
  }
}

async function installIfMissing(org: PeerOrgSpec, packageId: string, file: string): Promise<void> {
  const installed = await peerCli(org, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json']);
  if (installed.includes(packageId)) return;
  await peerCli(org, ['lifecycle', 'chaincode', 'install', file]);
}

/**
 * What the channel's members make the definition: its endorsement policy (any two member orgs) and
 * its private data collections (the chaincode's generator over the channel's marketplaces: every
 * application org but the governing one). Every org reads the same channel config, so every org
 * approves the same definition; a marketplace added to the channel brings its collections with the
 * next sequence.
 */
async function definitionFlags(org: PeerOrgSpec, version: string, sequence: number): Promise<string[]> {
  const members = (await fetchChannelMembers(org)).orgs.filter((member) => member.kind === 'application');
  const governing = members.find((member) => member.name === GOVERNING_ORG);
  if (governing === undefined) throw new Error(`${GOVERNING_ORG} is not an org of channel ${channelName}`);
  const marketplaces = members
    .filter((member) => member !== governing)
    .map((member) => ({ name: member.name, mspId: member.msp.mspId }));
  const collections = `${JSON.stringify(collectionsConfig(marketplaces, governing.msp.mspId), null, 2)}\n`;
  const digest = crypto.createHash('sha256').update(collections).digest('hex').slice(0, 16);
  const collectionsFile = path.join(os.tmpdir(), `p2p-escrow-collections-${digest}.json`);
  if (!fs.existsSync(collectionsFile)) fs.writeFileSync(collectionsFile, collections);
  return [
    '-C',
    channelName,
    '-n',
    chaincodeName,
    '--version',
    version,
    '--sequence',
    String(sequence),
    '--signature-policy',
    definitionEndorsementPolicy(members.map((member) => member.msp.mspId)),
    '--collections-config',
    collectionsFile,
  ];
}

/** Which orgs approved the definition `version`/`sequence` (`peer lifecycle chaincode checkcommitreadiness`). */
export async function approvedBy(
  org: PeerOrgSpec,
  version: string,
  sequence: number,
): Promise<Record<string, boolean>> {
  const output = await peerCli(org, [
    'lifecycle',
    'chaincode',
    'checkcommitreadiness',
    ...(await definitionFlags(org, version, sequence)),
    '--output',
    'json',
  ]);
  return (JSON.parse(output.slice(output.indexOf('{'))) as { approvals: Record<string, boolean> }).approvals;
}

/** The definition the current package would be approved and committed as. */
export interface DefinitionToApprove {
  version: string;
  sequence: number;
  packageId: string;
}

/** The version a package id carries: its label is `<chaincode name>_<version>`. */
export function versionOfPackage(packageId: string): string {
  const label = packageId.slice(0, packageId.indexOf(':'));
  return label.slice(chaincodeName.length + 1);
}

/**
 * Approves the definition as the org's admin (`approveformyorg`, sent to the ordering service: the
 * port plan's, or `orderer` on another org's host).
 */
export async function approveDefinition(
  org: PeerOrgSpec,
  definition: DefinitionToApprove,
  orderer?: RemoteNode,
): Promise<void> {
  await peerCli(org, [
    'lifecycle',
    'chaincode',
    'approveformyorg',
    ...ordererFlags(orderer),
    ...(await definitionFlags(org, definition.version, definition.sequence)),
    '--package-id',
    definition.packageId,
  ]);
}

/** Where the commit reaches the ordering service and the other orgs' peers, when they run on hosts of their own. */

/**
 * Commits the definition as the org's admin, endorsed by the peers of `endorsers` (by default every
 * peer org; a peer of an org that has not approved refuses to endorse the commit).
 */
export async function commitDefinition(
  org: PeerOrgSpec,
  version: string,
  sequence: number,
  endorsers: PeerOrgSpec[] = peerOrgs,
  remote: RemoteNodes = {},
): Promise<void> {
  await peerCli(org, [
    'lifecycle',
    'chaincode',
    'commit',
    ...ordererFlags(remote.orderer),
    ...(await definitionFlags(org, version, sequence)),
    ...endorserFlags(endorsers, remote),
  ]);
}

/**
 * One org on its own host: installs the current package on the org's own peer and records it as the
 * package its chaincode server answers to and its admin approves (the definition itself is the
 * operator commands' work: `chaincode approve` / `chaincode commit`).
 */
export function installTask(org: PeerOrgSpec): TaskSpec {
  return {
    kind: 'task',
    name: 'chaincode-install',
    description: `install chaincode ${chaincodeName} on ${org.name}'s peer`,
    dependsOn: [`peer-${org.name.toLowerCase()}`, 'chaincode-package'],
    run: async () => {
      const packageId = currentPackageId();
      const file = path.join(packageDir, `${packageId.slice(0, packageId.indexOf(':'))}.tar.gz`);
      await installIfMissing(org, packageId, file);
      fs.writeFileSync(deployedPackageIdFile, `${packageId}\n`);
    },
  };
}

/**
 * Installs the current package everywhere and, when the committed definition is older, approves and
 * commits a new one. The old chaincode servers are stopped first: a peer that dials a server
 * answering to another package id waits for its registration until chaincode.startuptimeout, while a
 * closed port fails at once; the servers restart on the new id right after this task.
 */
export function deployTask(stopChaincodeServers: () => Promise<void>): TaskSpec {
  return {
    kind: 'task',
    name: 'chaincode-deploy',
    description: `install, approve and commit chaincode ${chaincodeName} on ${channelName}`,
    dependsOn: ['channel-peers', 'chaincode-package'],
    run: async () => {
      const packageId = currentPackageId();
      const label = packageId.slice(0, packageId.indexOf(':'));
      const version = versionOfPackage(packageId);
      const file = path.join(packageDir, `${label}.tar.gz`);
      await Promise.all(peerOrgs.map((org) => installIfMissing(org, packageId, file)));
      const [firstOrg] = peerOrgs;
      if (firstOrg === undefined) throw new Error('no peer orgs');
      const committed = await committedDefinition(firstOrg);
      if (committed?.version !== version) {
        await stopChaincodeServers();
        const sequence = (committed?.sequence ?? 0) + 1;
        const approvals = await approvedBy(firstOrg, version, sequence);
        await Promise.all(
          peerOrgs
            .filter((org) => approvals[org.mspId] !== true)
            .map((org) => approveDefinition(org, { version, sequence, packageId })),
        );
        await commitDefinition(firstOrg, version, sequence);
      }
      fs.writeFileSync(deployedPackageIdFile, `${packageId}\n`);
    },
  };
}

export function networkReadyTask(chaincodeServers: string[]): TaskSpec {
  return {
    kind: 'task',
    name: 'network-ready',
    description:
      "wait until every peer sees the other orgs' peers and reaches its org's chaincode server, then register the founding marketplaces and set the channel settings of the topology",
    dependsOn: chaincodeServers,
    run: async () => {
      await Promise.all(peerOrgs.map((org) => waitForGossipMembership(org)));
      await Promise.all(peerOrgs.map((org) => queryUntilReady(org)));
      // Every marketplace action reads the registry and creations read the settings, so nothing
      // that submits may start before both are in place.
      await registerFoundingMarketplaces();
      await applyChannelSettings();
    },
  };
}

/** Endorsement across orgs needs discovery to know every other org's peer, learned through gossip. */
async function waitForGossipMembership(org: PeerOrgSpec): Promise<void> {
  const port = portsOf(portPlan.peer, org.name).operations;
  const expected = peerOrgs.length - 1;
  const pattern = new RegExp(
    `^gossip_membership_total_peers_known\\{channel="${channelName}"\\} (\\d+)`,
    'm',
  );
  const converged = await waitUntil(async () => {
    const text = await (await fetchOperations(port, '/metrics')).text();
    return Number(pattern.exec(text)?.[1] ?? 0) >= expected;
  }, 90_000);
  if (!converged)
    throw new Error(`${org.peer} does not see the other ${expected} peers through gossip after 90s`);
}

async function queryUntilReady(org: PeerOrgSpec): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await peerCli(org, [
        'chaincode',
        'query',
        '-C',
        channelName,
        '-n',
        chaincodeName,
        '-c',
        '{"Args":["org.hyperledger.fabric:GetMetadata"]}',
      ]);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
