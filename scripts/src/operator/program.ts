// The operator commands' command line: arguments, help, and the mapping of every failure to one
// line on stderr and an exit code (2 for bad input, 1 for a failure while acting). The actions are
// passed in, so the argument handling is tested without a network.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isOrganizationName } from '@p2p-escrow/chaincode';
import { REVOCATION_REASONS, type RevocationReason } from '../network/certificateAuthority';
import {
  allOrgNames,
  channelName,
  GOVERNING_ORG,
  joiningOrgs,
  ordererOrg,
  peerOrgs,
} from '../network/topology';
import { EXIT_RUNTIME, EXIT_USAGE, OperatorError, oneLineReason } from './operatorError';

export interface ConsortiumShowOptions extends OwnHostOptions {
  json: boolean;
  as: string;
  peer?: string;
}

export interface ExportBundleOptions {
  out: string;
  state?: string;
}

export interface OrgInitOptions {
  state: string;
  caPort?: number;
  caOperationsPort?: number;
  address?: string[];
}

/** An org on its own host: its state directory and the address its nodes bind (main.ts reads both first). */
export interface OwnHostOptions {
  state?: string;
  address?: string;
}

export interface OrgNodesOptions extends OwnHostOptions {
  state: string;
  node?: string[];
  /** Its Fabric nodes alone, not its data services, projection and gateway (before its peer joined). */
  nodesOnly?: boolean;
  /** Keycloak on another host whose realm of the org its gateway trusts, and that host's TLS root. */
  identityProvider?: string;
  identityProviderCa?: string;
}

export interface IdentityProviderOptions {
  state: string;
  address?: string;
}

export interface LifecycleOptions extends OwnHostOptions {
  as: string;
  sequence?: number;
  packageId?: string;
  ordererBundle?: string;
  bundle?: string[];
}

export interface MarketplaceListOptions extends OwnHostOptions {
  as: string;
  json: boolean;
}

export interface MarketplaceChangeOptions extends OwnHostOptions {
  as: string;
  ordererBundle?: string;
  bundle?: string[];
}

export type MarketplaceChange = 'add' | 'suspend' | 'reinstate';

export interface PeerJoinOptions extends OwnHostOptions {
  block?: string;
  orderer?: string;
}

export interface OrdererJoinOptions extends OwnHostOptions {
  channel: string;
  block: string;
  node?: string[];
}

export interface OrdererListOptions {
  node?: string[];
}

export interface ChannelCreateOptions {
  bundle: string[];
  ordererBundle: string;
  out: string;
  channel: string;
}

export interface ChannelAddOrgOptions {
  bundle: string;
  as: string;
  out: string;
  state?: string;
  address?: string;
}

export interface UpdateSignOptions {
  as: string;
  state?: string;
  address?: string;
}

export interface UpdateSubmitOptions extends UpdateSignOptions {
  ordererBundle?: string;
}

export interface UserRevokeOptions {
  reason: RevocationReason;
}

export interface PaymentsReconcileOptions {
  org: string;
  from: string;
  to: string;
  json: boolean;
}

export interface PaymentsOrgOptions {
  org: string;
  json: boolean;
}

export interface ReviewRingsOptions {
  apply: boolean;
  json: boolean;
}

export interface ProofVerifyOptions {
  /** `<MSP ID>=<MSP folder>` of every org; the local consortium's when none is given. */
  msp?: string[];
  ordererMsp: string[];
  /** Orgs whose peers must report the proof's latest block hash (network). */
  comparePeers?: string[];
  as: string;
  json: boolean;
}

export interface OperatorActions {
  channelCreate(options: ChannelCreateOptions): Promise<void>;
  channelAddOrg(options: ChannelAddOrgOptions): Promise<void>;
  channelSignUpdate(file: string, options: UpdateSignOptions): Promise<void>;
  channelSubmitUpdate(file: string, options: UpdateSubmitOptions): Promise<void>;
  ordererJoin(org: string, options: OrdererJoinOptions): Promise<void>;
  ordererList(options: OrdererListOptions): Promise<void>;
  peerJoin(org: string, options: PeerJoinOptions): Promise<void>;
  chaincodeApprove(options: LifecycleOptions): Promise<void>;
  chaincodeCommit(options: LifecycleOptions): Promise<void>;
  orgInit(org: string, options: OrgInitOptions): Promise<void>;
  orgStart(org: string, options: OrgNodesOptions): Promise<void>;
  orgStop(org: string, options: OrgNodesOptions): Promise<void>;
  identityProvider(verb: 'start' | 'stop', options: IdentityProviderOptions): Promise<void>;
  identityProviderRealmAdd(org: string, options: IdentityProviderOptions): Promise<void>;
  consortiumShow(options: ConsortiumShowOptions): Promise<void>;
  exportBundle(org: string, options: ExportBundleOptions): Promise<void>;
  userRevoke(org: string, enrollmentId: string, options: UserRevokeOptions): Promise<void>;
  marketplaceList(options: MarketplaceListOptions): Promise<void>;
  marketplaceRegisterFounding(options: MarketplaceChangeOptions): Promise<void>;
  marketplaceChange(
    change: MarketplaceChange,
    name: string,
    options: MarketplaceChangeOptions,
  ): Promise<void>;
  paymentsReconcile(options: PaymentsReconcileOptions): Promise<void>;
  paymentsPayeeRegister(userId: string, account: string, options: PaymentsOrgOptions): Promise<void>;
  paymentsPayeeList(options: PaymentsOrgOptions): Promise<void>;
  /** One of the payments package's statement commands, with its own arguments. */
  paymentsStatement(args: string[], options: PaymentsOrgOptions): Promise<void>;
  proofVerify(file: string, options: ProofVerifyOptions): Promise<void>;
  reviewRings(options: ReviewRingsOptions): Promise<void>;
}

export interface OperatorOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** An org's name as network/topology.json spells it, from its name or MSP ID in any case. */
export function orgName(value: string): string {
  const orgs = [ordererOrg, ...peerOrgs, ...joiningOrgs];
  const found = orgs.find((org) =>
    [org.name, org.mspId].some((name) => name.toLowerCase() === value.toLowerCase()),
  );
  if (found === undefined) {
    const known = [...allOrgNames, ...joiningOrgs.map((org) => org.name)];
    throw new InvalidArgumentError(`unknown org ${value} (known: ${known.join(', ')})`);
  }
  return found.name;
}

function peerOrgName(value: string): string {
  const name = orgName(value);
  if (name === ordererOrg.name) throw new InvalidArgumentError(`${name} runs no peer; name a peer org`);
  return name;
}

function ordererOrgName(value: string): string {
  const name = orgName(value);
  if (name !== ordererOrg.name)
    throw new InvalidArgumentError(`${name} runs no orderer; name the orderer org (${ordererOrg.name})`);
  return name;
}

/**
 * A marketplace that joins the channel after the identity provider started (the topology's joining
 * orgs): the one kind of org whose realm `identity-provider realm add` creates. The founding orgs'
 * realms are imported when the provider starts.
 */
export function joiningOrgName(value: string): string {
  const named = (org: { name: string; mspId: string }) =>
    [org.name, org.mspId].some((name) => name.toLowerCase() === value.toLowerCase());
  const joining = joiningOrgs.find(named);
  if (joining !== undefined) return joining.name;
  const founding = [ordererOrg, ...peerOrgs].find(named);
  const joiningNames = joiningOrgs.map((org) => org.name).join(', ');
  if (founding !== undefined)
    throw new OperatorError(
      'REALM_OF_FOUNDING_ORG',
      `${founding.name} is a founding org: its realm is imported when the identity provider starts; realm add is for a marketplace that joins later (${joiningNames})`,
      EXIT_USAGE,
    );
  throw new OperatorError('UNKNOWN_ORG', `unknown org ${value} (joining orgs: ${joiningNames})`, EXIT_USAGE);
}

function ordererNodes(value: string, previous: string[] | undefined): string[] {
  if (!ordererOrg.nodes.includes(value))
    throw new InvalidArgumentError(`unknown orderer ${value} (known: ${ordererOrg.nodes.join(', ')})`);
  return [...(previous ?? []), value];
}

/** A channel name as Fabric accepts it. */
export function channelId(value: string): string {
  if (!/^[a-z][a-z0-9.-]{0,248}$/.test(value))
    throw new InvalidArgumentError(
      `${value} is not a channel name (lower-case letters, digits, '.' and '-', starting with a letter)`,
    );
  return value;
}

function repeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function port(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
    throw new InvalidArgumentError(`${value} is not a port number`);
  return Number(value);
}

function sequence(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`${value} is not a positive integer`);
  return Number(value);
}

/** A chaincode package id as `peer lifecycle chaincode install` prints it: `<label>:<sha256 hex>`. */
function packageId(value: string): string {
  if (!/^[\w.+-]+:[0-9a-f]{64}$/.test(value))
    throw new InvalidArgumentError(`${value} is not a package id (<label>:<64 hex digits>)`);
  return value;
}

/** A marketplace's name as the chaincode's registry accepts it. */
function marketplaceName(value: string): string {
  if (!isOrganizationName(value) || value === GOVERNING_ORG)
    throw new InvalidArgumentError(
      `${value} is not a marketplace name (a capital letter, then up to 30 letters and digits; not ${GOVERNING_ORG})`,
    );
  return value;
}

/** An instant as ISO-8601 (`2026-11-30T00:00:00Z`). */
export function isoInstant(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError(`${value} is not an ISO-8601 instant (e.g. 2026-11-30T00:00:00Z)`);
  return value;
}

/** An enrollment id as the org's CA registered it. */
export function enrollmentId(value: string): string {
  if (!/^[A-Za-z0-9][\w.@-]{0,63}$/.test(value))
    throw new InvalidArgumentError(
      `${value} is not an enrollment id (up to 64 letters, digits, '_', '.', '@' and '-')`,
    );
  return value;
}

/** The base URL of an identity provider on another host: HTTPS only, its tokens' issuers live there. */
function httpsUrl(value: string): string {
  if (!URL.canParse(value) || new URL(value).protocol !== 'https:')
    throw new InvalidArgumentError(`${value} is not an https URL (e.g. https://10.0.0.30:18443)`);
  return value;
}

/** An IPv4 address or host name a node can bind and be reached at. */
export function hostAddress(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(value))
    throw new InvalidArgumentError(`${value} is not an IPv4 address or host name`);
  return value;
}

/** `--address` of org init: the org's host (`10.0.0.5`) or one orderer's (`orderer2=10.0.0.6`), repeatable. */
function nodeAddressOption(value: string, previous: string[] | undefined): string[] {
  const split = value.indexOf('=');
  if (split >= 0) {
    ordererNodes(value.slice(0, split), undefined);
    hostAddress(value.slice(split + 1));
  } else hostAddress(value);
  return [...(previous ?? []), value];
}

/** --state and --address of a command acting as one org on its own host. */
function ownHost(command: Command): Command {
  return command
    .option('--state <dir>', "the org's own state directory (default: the local state directory)")
    .option('--address <ip>', "the org's host address (default: the port plan's)", hostAddress);
}

function hostPort(value: string): string {
  if (!/^[\w.-]+:\d{1,5}$/.test(value)) throw new InvalidArgumentError(`${value} is not host:port`);
  return value;
}

export function operatorProgram(actions: OperatorActions, output: OperatorOutput): Command {
  const program = new Command('operator')
    .description("Operate an org's part of the p2p-escrow consortium, through Fabric's own tools")
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .allowExcessArguments(false);

  const consortium = program.command('consortium').description('the channel and its members');
  ownHost(consortium.command('show'))
    .description(
      'orgs, nodes and their health, channel height per peer, the committed chaincode definition and who approved it',
    )
    .option('--json', 'print JSON for machines instead of tables', false)
    .option('--as <org>', 'the peer org whose admin reads the channel', peerOrgName, peerOrgs[0]?.name ?? '')
    .option('--peer <host:port>', "that org's peer, when not at the port plan's address", hostPort)
    .action((options: ConsortiumShowOptions) => actions.consortiumShow(options));

  const org = program.command('org').description("one org's identities and public material");
  org
    .command('export-bundle')
    .description(
      "write the org's public bundle (MSP, anchor peer / orderer endpoints, manifest); never a private key",
    )
    .argument('<org>', 'org name or MSP ID', orgName)
    .requiredOption('--out <dir>', 'new or empty directory to write the bundle into')
    .option('--state <dir>', "the org's own state directory (default: the local state directory)")
    .action((name: string, options: ExportBundleOptions) => actions.exportBundle(name, options));

  org
    .command('init')
    .description(
      'create the org in its own state directory: its CA, node, admin and user identities and MSP (its keys only)',
    )
    .argument('<org>', 'org name or MSP ID', orgName)
    .requiredOption('--state <dir>', "the org's own state directory (new, or holding this org only)")
    .option('--ca-port <port>', "port of the org's CA while it runs (default: the port plan's)", port)
    .option('--ca-operations-port <port>', "its operations (health) port (default: the port plan's)", port)
    .option(
      '--address <[node=]ip>',
      "the org's host address its node certificates name and its bundle announces; node=ip for an orderer on a host of its own (repeatable)",
      nodeAddressOption,
    )
    .action((name: string, options: OrgInitOptions) => actions.orgInit(name, options));

  for (const [verb, description] of [
    [
      'start',
      "run the org's deployment on this host from its own state directory (its pids and logs there): its nodes and, for a peer org, its PostgreSQL, Redis, projection and gateway",
    ],
    ['stop', "stop the org's deployment on this host"],
  ] as const)
    org
      .command(verb)
      .description(description)
      .argument('<org>', 'org name or MSP ID', orgName)
      .requiredOption('--state <dir>', "the org's own state directory (as `org init` made it)")
      .option('--address <ip>', 'the address to bind (default: the one given to `org init`)', hostAddress)
      .option('--node <name>', 'one orderer of this host, repeatable (default: all of the org)', ordererNodes)
      .option('--nodes-only', "only the org's Fabric nodes (its projection follows its peer once it joined)")
      .option(
        '--identity-provider <url>',
        "Keycloak on another host whose realm of this org the org's gateway trusts (default: the local one)",
        httpsUrl,
      )
      .option('--identity-provider-ca <file>', "that identity provider's TLS root, as its operator sent it")
      .action((name: string, options: OrgNodesOptions) =>
        verb === 'start' ? actions.orgStart(name, options) : actions.orgStop(name, options),
      );

  const identityProvider = program
    .command('identity-provider')
    .description("the orgs' identity provider on a host of its own: Keycloak with one realm per org");
  for (const verb of ['start', 'stop'] as const)
    identityProvider
      .command(verb)
      .description(
        verb === 'start'
          ? 'run PostgreSQL and Keycloak from this state directory, on this address, with one realm per org'
          : 'stop the identity provider on this host',
      )
      .requiredOption('--state <dir>', "the identity provider's own state directory")
      .option('--address <ip>', 'the address to bind (default: the port plan’s)', hostAddress)
      .action((options: IdentityProviderOptions) => actions.identityProvider(verb, options));
  identityProvider
    .command('realm')
    .description("an org's realm on the running identity provider")
    .command('add')
    .description(
      "create the realm of a marketplace that joined the channel later (its backend client, its buyers' and sellers' accounts; their secrets generated under the provider's state directory); nothing changes when it exists",
    )
    .argument('<org>', 'the joining marketplace, by name or MSP ID', joiningOrgName)
    .requiredOption('--state <dir>', "the identity provider's own state directory")
    .option('--address <ip>', 'the identity provider’s address (default: the port plan’s)', hostAddress)
    .action((name: string, options: IdentityProviderOptions) =>
      actions.identityProviderRealmAdd(name, options),
    );

  ownHost(program.command('peer').description("the org's peer").command('join'))
    .description("join the org's peer to the channel (nothing to do when it is a member already)")
    .argument('<org>', 'peer org name or MSP ID', peerOrgName)
    .option('--block <file>', "the channel's genesis block (default: block 0 fetched from an orderer)")
    .option(
      '--orderer <host:port>',
      "the orderer to fetch block 0 from (default: the port plan's first)",
      hostPort,
    )
    .action((name: string, options: PeerJoinOptions) => actions.peerJoin(name, options));

  const channel = program.command('channel').description('the application channel');
  channel
    .command('create')
    .description(
      "write a new channel's genesis block (configtxgen) from the founding orgs' public bundles; joins nothing",
    )
    .requiredOption('--bundle <dir>', "a founding peer org's bundle, repeatable", repeated)
    .requiredOption('--orderer-bundle <dir>', "the orderer org's bundle (its Raft consenters)")
    .requiredOption('--out <file>', 'the block file to write (must not exist)')
    .option('--channel <name>', 'the channel name', channelId, channelName)
    .action((options: ChannelCreateOptions) => actions.channelCreate(options));
  ownHost(channel.command('add-org'))
    .description(
      "write the config update adding a new peer org from its public bundle; the members' admins then sign it in turn (sign-update) and one submits it (submit-update)",
    )
    .requiredOption('--bundle <dir>', "the new org's public bundle (org export-bundle)")
    .requiredOption('--as <org>', 'the member org whose admin reads the channel config', peerOrgName)
    .requiredOption('--out <file>', 'the update file to write (must not exist)')
    .action((options: ChannelAddOrgOptions) => actions.channelAddOrg(options));
  ownHost(channel.command('sign-update'))
    .description("add the org admin's signature to a config update file, in place")
    .argument('<file>', 'the config update file')
    .requiredOption('--as <org>', 'the peer org whose admin signs', peerOrgName)
    .action((file: string, options: UpdateSignOptions) => actions.channelSignUpdate(file, options));
  ownHost(channel.command('submit-update'))
    .description(
      "sign a config update as the org's admin and submit it, once its signatures make a majority of the channel's orgs",
    )
    .argument('<file>', 'the config update file')
    .requiredOption('--as <org>', 'the peer org whose admin submits', peerOrgName)
    .option('--orderer-bundle <dir>', "the orderer org's bundle: the orderer to send the update to")
    .action((file: string, options: UpdateSubmitOptions) => actions.channelSubmitUpdate(file, options));

  const orderer = program.command('orderer').description("the orderer org's ordering nodes");
  ownHost(orderer.command('join'))
    .description(
      "join the org's orderers to a channel from its genesis block (osnadmin, with the org admin's TLS client certificate)",
    )
    .argument('<org>', 'the orderer org, by name or MSP ID', ordererOrgName)
    .requiredOption('--channel <name>', 'the channel to join', channelId)
    .requiredOption('--block <file>', "the channel's genesis block")
    .option('--node <name>', 'one orderer to join, repeatable (default: all of the org)', ordererNodes)
    .action((name: string, options: OrdererJoinOptions) => actions.ordererJoin(name, options));
  orderer
    .command('list')
    .description('the channels each orderer has joined (osnadmin channel list)')
    .option('--node <name>', 'one orderer to ask, repeatable (default: all of the org)', ordererNodes)
    .action((options: OrdererListOptions) => actions.ordererList(options));

  const chaincode = program
    .command('chaincode')
    .description("the escrow chaincode's definition on the channel");
  ownHost(chaincode.command('approve'))
    .description("approve the deployed package's definition as the org's admin (next sequence by default)")
    .option('--orderer-bundle <dir>', "the orderer org's bundle: the orderer to send the approval to")
    .requiredOption('--as <org>', 'the peer org whose admin approves', peerOrgName)
    .option('--sequence <n>', 'the definition sequence (default: the committed one + 1)', sequence)
    .option('--package-id <id>', "the installed package's id (default: the locally deployed one)", packageId)
    .action((options: LifecycleOptions) => actions.chaincodeApprove(options));
  ownHost(chaincode.command('commit'))
    .description('commit the definition once a majority of the orgs approved it; refused before')
    .option('--orderer-bundle <dir>', "the orderer org's bundle: the orderer to send the commit to")
    .option(
      '--bundle <dir>',
      "an approving org's bundle: its peer endorses the commit (repeatable)",
      repeated,
    )
    .requiredOption('--as <org>', 'the peer org whose admin commits', peerOrgName)
    .option('--sequence <n>', 'the definition sequence (default: the committed one + 1)', sequence)
    .option('--package-id <id>', "the approved package's id (default: the locally deployed one)", packageId)
    .action((options: LifecycleOptions) => actions.chaincodeCommit(options));

  const marketplace = program
    .command('marketplace')
    .description("the escrow chaincode's marketplace registry: who trades on the channel");
  ownHost(marketplace.command('list'))
    .description("the registered marketplaces and their status, read through the org's peer")
    .option('--as <org>', 'the peer org whose admin reads', peerOrgName, peerOrgs[0]?.name ?? '')
    .option('--json', 'print JSON for machines instead of a table', false)
    .action((options: MarketplaceListOptions) => actions.marketplaceList(options));
  const governance = (command: Command) =>
    ownHost(command)
      .requiredOption('--as <org>', 'the member org whose admin proposes the change', peerOrgName)
      .option('--orderer-bundle <dir>', "the orderer org's bundle: the orderer to send the change to")
      .option(
        '--bundle <dir>',
        "another member org's bundle: its peer endorses the change (repeatable; default: every governing member's local peer)",
        repeated,
      );
  governance(marketplace.command('register-founding'))
    .description(
      "register the channel's marketplaces (every application org but Oversight) once, as the founding ones",
    )
    .action((options: MarketplaceChangeOptions) => actions.marketplaceRegisterFounding(options));
  for (const [change, description] of [
    ['add', 'register a marketplace that joined the channel (a majority of the governing members endorses)'],
    ['suspend', 'suspend a marketplace: its identities can no longer act; Oversight ends its open escrows'],
    ['reinstate', "restore a suspended marketplace's identities"],
  ] as const)
    governance(marketplace.command(change))
      .description(description)
      .argument('<name>', 'the marketplace, e.g. MarketC (its MSP ID is <name>MSP)', marketplaceName)
      .action((name: string, options: MarketplaceChangeOptions) =>
        actions.marketplaceChange(change, name, options),
      );

  const payments = program
    .command('payments')
    .description("a marketplace's payments: reconciliation, payee accounts, statements between marketplaces");
  const paymentsOrg = (command: Command) =>
    command
      .requiredOption('--org <marketplace>', 'the marketplace whose payments are meant', marketplaceName)
      .option('--json', 'print JSON for machines instead of text', false);
  paymentsOrg(payments.command('reconcile'))
    .description(
      "compare the provider's payments, refunds and transfers of [from, to) with the ledger's fundings and settlements; exit 3 on any difference",
    )
    .requiredOption('--from <instant>', 'start of the period, ISO-8601', isoInstant)
    .requiredOption('--to <instant>', 'end of the period (excluded), ISO-8601', isoInstant)
    .action((options: PaymentsReconcileOptions) => actions.paymentsReconcile(options));
  const payee = payments
    .command('payee')
    .description("where a marketplace pays its sellers (the provider's connected accounts)");
  paymentsOrg(payee.command('register'))
    .description("register (or replace) a seller's payout account")
    .argument('<userId>', "the seller's user id on the ledger")
    .argument('<account>', "the provider's connected account, e.g. acct_1SellerAmir")
    .action((userId: string, account: string, options: PaymentsOrgOptions) =>
      actions.paymentsPayeeRegister(userId, account, options),
    );
  paymentsOrg(payee.command('list'))
    .description("the marketplace's registered payout accounts")
    .action((options: PaymentsOrgOptions) => actions.paymentsPayeeList(options));
  // Statements between marketplaces: run by the payments package's command as the org's payments identity.
  const json = (options: PaymentsOrgOptions) => (options.json ? ['--json'] : []);
  paymentsOrg(payments.command('statement-propose'))
    .description("propose this marketplace's statement with another one for an ended settlement period")
    .requiredOption(
      '--period <period>',
      'n periods back (1: the last ended), a period id, or an ISO-8601 instant',
    )
    .requiredOption('--with <marketplace>', 'the other marketplace of the pair', marketplaceName)
    .action((options: PaymentsOrgOptions & { period: string; with: string }) =>
      actions.paymentsStatement(
        ['statement-propose', '--period', options.period, '--with', options.with, ...json(options)],
        options,
      ),
    );
  paymentsOrg(payments.command('statement-pay'))
    .description(
      "as the statement's payer: ONE transfer of its net, then settle it on the ledger (idempotent)",
    )
    .argument('<statementId>', '<period>:<first>:<second>')
    .option('--to-account <account>', "the payee marketplace's account at the provider, e.g. acct_1MarketB")
    .action((statementId: string, options: PaymentsOrgOptions & { toAccount?: string }) =>
      actions.paymentsStatement(
        [
          'statement-pay',
          statementId,
          ...(options.toAccount === undefined ? [] : ['--to-account', options.toAccount]),
          ...json(options),
        ],
        options,
      ),
    );
  paymentsOrg(payments.command('statement-payout'))
    .description("once the statement is settled: pay this marketplace's sellers of its escrows (idempotent)")
    .argument('<statementId>', '<period>:<first>:<second>')
    .action((statementId: string, options: PaymentsOrgOptions) =>
      actions.paymentsStatement(['statement-payout', statementId, ...json(options)], options),
    );
  paymentsOrg(payments.command('statement-show'))
    .description('show a statement of this marketplace: gross both ways, net, status, escrows')
    .argument('<statementId>', '<period>:<first>:<second>')
    .action((statementId: string, options: PaymentsOrgOptions) =>
      actions.paymentsStatement(['statement-show', statementId, ...json(options)], options),
    );

  program
    .command('proof')
    .description("an escrow's audit proof (GET /v1/escrows/{id}/proof)")
    .command('verify')
    .description(
      "check a proof against the orgs' public MSP material only: signatures, endorsement policies, block hashes and their chain, the records written",
    )
    .argument('<file>', 'the proof bundle (JSON)')
    .option('--msp <mspId=folder...>', "each org's public MSP folder (default: the local consortium's)")
    .option('--orderer-msp <mspId...>', 'the MSP IDs that sign blocks', [ordererOrg.mspId])
    .option(
      '--compare-peers <org...>',
      "also ask these orgs' peers (two or more) for the proof's latest block and compare its hash",
    )
    .option('--as <org>', 'the peer org whose admin asks the peers', peerOrgName, GOVERNING_ORG)
    .option('--json', 'print JSON for machines instead of text', false)
    .action((file: string, options: ProofVerifyOptions) => actions.proofVerify(file, options));

  program
    .command('review-rings')
    .description(
      "find review rings in the auditor's projection: groups of parties who trade mostly with each other and rate each other highly (see offchain-db/src/reviewRings/ringFinder.ts; thresholds P2P_REVIEW_RINGS_*)",
    )
    .option(
      '--apply',
      'record the groups as the current flags (once per projection block and thresholds); reputation then also leaves their reviews out',
      false,
    )
    .option('--json', 'print JSON for machines instead of text', false)
    .action((options: ReviewRingsOptions) => actions.reviewRings(options));

  program
    .command('user')
    .description("an org's users and their certificates")
    .command('revoke')
    .description(
      "revoke a user's certificates at the org's CA and put its CRL into the org's MSP on the channel (a config update signed by a majority of the orgs' admins)",
    )
    .argument('<org>', 'peer org name or MSP ID', peerOrgName)
    .argument('<enrollmentId>', "the user's enrollment id at the org's CA", enrollmentId)
    .addOption(
      new Option('--reason <reason>', 'the revocation reason')
        .choices(REVOCATION_REASONS)
        .default('keycompromise'),
    )
    .action((name: string, id: string, options: UserRevokeOptions) => actions.userRevoke(name, id, options));

  return program;
}

/** Runs the operator command line and returns its exit code. */
export async function runOperator(
  argv: string[],
  actions: OperatorActions,
  output: OperatorOutput,
): Promise<number> {
  try {
    await operatorProgram(actions, output).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed its one-line message (or the help text).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    output.err(`error: ${oneLineReason(error)}\n`);
    return error instanceof OperatorError ? error.exitCode : EXIT_RUNTIME;
  }
}
