// The consortium across hosts: every org initialised and run by its own operator in its own network
// namespace, from its own state directory, on its own address; only the public bundles cross
// between orgs (copied through a mailbox folder). The tests prove the channel forms, an escrow
// between a MarketA buyer and a MarketB seller completes, the channel survives the loss of one Raft
// orderer's host and of a peer host, and no org holds another org's private key.
import {
  createRequest,
  CROSS_MARKET,
  eventually,
  GatewayPool,
  openGatewayAt,
  submitEscrow,
  Trade,
  untilPast,
  type OrgName,
} from '@p2p-escrow/testkit';
import {
  caCertPath,
  channelName,
  fabricBinDir,
  identityDir,
  ordererOrg,
  peerOrg,
  portPlan,
  runCommand,
} from '@p2p-escrow/scripts';
import { mspIdOf, refusalIn, TRANSACTIONS } from '@p2p-escrow/chaincode';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHosts, hostOf, removeHosts, setLink, type Host } from './hostNetwork';
import { certificateOwners, privateKeysUnder } from './keyScan';
import { killRecorded, residentMemoryMib } from './recordedProcesses';
import { projectedState, projectedThrough, removeServiceData } from './orgProjection';
import { gatewayRequest, tokenAt } from './hostHttps';
import {
  checkNetting,
  inParallel,
  nettingTrades,
  PeerHeights,
  proposeStatement,
  readObligation,
  readStatement,
  runNettingTrade,
  setSettlementPeriod,
  statementIdsOf,
} from './marketplaceNetting';
import {
  killOperatorCommands,
  metricOf,
  operationsPortOf,
  operatorOn,
  ownHost,
  peerPortOf,
  post,
  type OrgHost,
} from './orgHosts';

const STEP_MS = 180_000;
/**
 * The netting period's trades: five per ordered pair of the three marketplaces, one of each pair's
 * five resolved by the arbiter (every fifth trade, and five is prime to the six pairs), the others
 * released: each pair's statements net obligations owed both ways. The netting's arithmetic over
 * hundreds of escrows is the chaincode's property test (statementNetting.property.unit.test.ts).
 */
const NETTING_ESCROWS = 30;
const NETTING_IN_FLIGHT = NETTING_ESCROWS;
const NETTING_PERIOD_SECONDS = 10;
/** How long a mirror may take to apply what its peer committed, and how often it is asked. */
const PROJECTION_WAIT = { timeoutMs: 60_000, intervalMs: 500 };
/** gRPC status UNAVAILABLE, as the Fabric gateway reports an endorser it cannot reach. */
const grpcUnavailable = 14;
const heightPattern = new RegExp(`^ledger_blockchain_height\\{channel="${channelName}"\\} (\\d+)`, 'm');
const leaderPattern = new RegExp(`^consensus_etcdraft_is_leader\\{channel="${channelName}"\\} (\\d)`, 'm');
const gossipPattern = new RegExp(
  `^gossip_membership_total_peers_known\\{channel="${channelName}"\\} (\\d+)`,
  'm',
);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'p2pmh-'));
const mailbox = path.join(work, 'mailbox');
const stateOf = (org: string) => path.join(work, org.toLowerCase());

// The orderer org's three hosts share its one state directory (one org, one operator); each host
// runs only its own orderer from it, so one orderer's host can be cut off alone.
const orderers: OrgHost[] = ordererOrg.nodes.map((node, index) => ({
  org: ordererOrg.name,
  state: stateOf(ordererOrg.name),
  host: hostOf(`o${String(index + 1)}`, 11 + index),
  node,
}));
const [firstOrderer] = orderers;
const peersOf = (org: OrgName, name: string, octet: number): OrgHost => ({
  org,
  state: stateOf(org),
  host: hostOf(name, octet),
});
const marketA = peersOf('MarketA', 'ma', 21);
const marketB = peersOf('MarketB', 'mb', 22);
const oversight = peersOf('Oversight', 'ov', 23);
const peerHosts = [marketA, marketB, oversight];
const everyHost = [...orderers, ...peerHosts];
// MarketC's host is there from the start, idle, until its operator sets MarketC up to join.
const marketC = peersOf('MarketC', 'mc', 24);
// The orgs' identity provider, on a host of its own: Keycloak with one realm per org.
const identityProvider: OrgHost = {
  org: 'identity provider',
  state: stateOf('idp'),
  host: hostOf('idp', 30),
};
const identityProviderUrl = `https://${identityProvider.host.address}:${String(portPlan.keycloak.https)}`;
const hosts: Host[] = [...everyHost, marketC, identityProvider].map((on) => on.host);
const states = [...new Set([...everyHost, marketC].map((on) => on.state))];
/** Every state directory a runner started processes from (the orgs' and the identity provider's). */
const runnerStates = [...states, identityProvider.state];

/** Three milestones of 10 000, 15 000 and 5 000 EUR cents (2.5 % fee, the seller's). */
const MILESTONES = [
  { description: 'Design', price: '10000' },
  { description: 'Build', price: '15000' },
  { description: 'Handover', price: '5000' },
];

/** Agreed and funded, then moved per item: the first milestone released, the second shipped, the third not. */
async function openSplitEscrow(split: Trade): Promise<void> {
  await split.create();
  await split.fund();
  const { buyer, seller } = split.parties;
  await split.step(seller, TRANSACTIONS.shipItem, [split.escrowId, '0', 'DHL', 'trk-0']);
  await split.step(buyer, TRANSACTIONS.releaseItem, [split.escrowId, '0']);
  await split.step(seller, TRANSACTIONS.shipItem, [split.escrowId, '1', 'DHL', 'trk-1']);
}

/**
 * Oversight's arbiter ends the suspended seller's split escrow (chaincode itemLifecycle.ts
 * endOpenItems): the released milestone keeps its split, the two open ones end RESOLVED with the
 * refund of 8 000 shared by their prices (6 000 and 2 000), and the ledger's record keeps
 * funded = Σ(refunds + payouts + fees), per item and for the whole; the seller's marketplace is
 * owed the sum of the items' payouts.
 */
async function expectSplitEscrowEnded(pool: GatewayPool, split: Trade): Promise<void> {
  const ended = await split.step('olivia', TRANSACTIONS.endSuspendedEscrow, [split.escrowId, '8000'], {
    endorsingOrganizations: [...split.endorsers, mspIdOf('Oversight')],
  });
  expect(ended.event.payload['details']).to.deep.equal({
    suspendedMarketplace: 'MarketC',
    endedItems: '1,2',
    buyerRefund: '8000',
  });
  const escrow = await split.read();
  const splits = (escrow.itemLifecycles ?? []).map(({ state, buyerRefund, sellerPayout, fee }) => ({
    state,
    buyerRefund,
    sellerPayout,
    fee,
  }));
  expect(splits).to.deep.equal([
    { state: 'RELEASED', buyerRefund: '0', sellerPayout: '9750', fee: '250' },
    { state: 'RESOLVED', buyerRefund: '6000', sellerPayout: '8775', fee: '225' },
    { state: 'RESOLVED', buyerRefund: '2000', sellerPayout: '2925', fee: '75' },
  ]);
  expect(escrow).to.deep.include({
    state: 'RESOLVED',
    fundedAmount: '30000',
    buyerRefund: '8000',
    sellerPayout: '21450',
    fee: '550',
  });
  const parts = (entry: { buyerRefund: string; sellerPayout: string; fee: string }) =>
    BigInt(entry.buyerRefund) + BigInt(entry.sellerPayout) + BigInt(entry.fee);
  const funded = splits.reduce((total, entry) => total + parts(entry), 0n);
  expect(funded).to.equal(BigInt(escrow.fundedAmount));
  expect(parts(escrow)).to.equal(BigInt(escrow.fundedAmount));
  expect(await readObligation(pool, split.escrowId)).to.deep.include({
    payer: 'MarketA',
    payee: 'MarketC',
    amount: '21450',
    status: 'open',
  });
}

function peerHost(org: OrgName): OrgHost {
  const found = [...peerHosts, marketC].find((on) => on.org === org);
  if (found === undefined) throw new Error(`no host for ${org}`);
  return found;
}

/**
 * Each org's application: its users' keys from its own state directory, submitting to its own
 * peer on its own host. Once each marketplace runs its own REST gateway, this opener is the one
 * place to swap for that gateway's HTTP client; the trades below stay as they are.
 */
function ownOrgLedger(via: OrgName, identityId: string, identityOrg: OrgName) {
  const on = peerHost(via);
  const org = peerOrg(via);
  const peer = {
    address: `${on.host.address}:${String(peerPortOf(via))}`,
    hostAlias: org.peer,
    tlsRootCertPath: caCertPath(via, on.state),
  };
  const owner = peerHost(identityOrg);
  const mspDir = path.join(identityDir(identityOrg, identityId, owner.state), 'msp');
  return openGatewayAt(peer, peerOrg(identityOrg).mspId, mspDir);
}

const heightOf = (on: OrgHost) => metricOf(on, operationsPortOf(on), heightPattern);

/** Every named node's height, once they all agree and reach `atLeast`. */
async function sameHeight(nodes: readonly OrgHost[], atLeast = 1, timeoutMs = 120_000): Promise<number> {
  return eventually(
    `${nodes.map((on) => on.node ?? on.org).join(', ')} at one height ≥ ${String(atLeast)}`,
    async () => {
      const heights = await Promise.all(nodes.map(heightOf));
      const [first] = heights;
      return first !== undefined && first >= atLeast && heights.every((height) => height === first)
        ? first
        : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/**
 * What an application does when the ordering service refuses or does not answer a submit (no Raft
 * leader elected yet, or the peer tried the vanished orderer first): the same step again, a bounded
 * number of times. Endorsement refusals are not retried.
 */
async function retriedOnOrdering<T>(step: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      // The package exports SubmitError as a type only; it is the GatewayError of that name.
      const notOrdered = error instanceof GatewayError && error.name === 'SubmitError';
      if (!notOrdered || attempt >= attempts) throw error;
      console.log(`      submit attempt ${String(attempt)} not ordered (${error.message}); again`);
    }
  }
}

/**
 * Runs `step` until the gateway peer finds the endorsers it needs, for at most `timeoutMs` (a peer
 * whose connection to another org's peer broke redials it with a back-off before it endorses there).
 */
async function retriedWhileEndorserUnavailable<T>(step: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      const unavailable =
        error instanceof GatewayError && error.name === 'EndorseError' && error.code === grpcUnavailable;
      if (!unavailable || Date.now() > deadline || attempt >= 90) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function stopEverythingNow(): void {
  killOperatorCommands();
  killRecorded(runnerStates);
  removeHosts(hosts);
}

function onInterrupt(): void {
  stopEverythingNow();
  process.exit(130);
}

describe('the consortium across hosts: one namespace per host, one state directory per org', function () {
  this.timeout(STEP_MS);
  const startedAt = Date.now();
  const pool = new GatewayPool(ownOrgLedger);
  const figures: string[] = [];
  let bundles: Record<string, string> = {};
  /** The identity provider's start, begun with the hosts (Keycloak's cold start is the slowest): its failure, if any. */
  let identityProviderStarted: Promise<Error | undefined> = Promise.resolve(undefined);
  /** Its TLS root, as its operator sent it through the mailbox. */
  const identityProviderCa = path.join(mailbox, 'identity-provider', 'ca.pem');
  /** What an org's operator names to have its gateway trust its realm there. */
  const trusting = ['--identity-provider', identityProviderUrl, '--identity-provider-ca', identityProviderCa];

  before(async function () {
    this.timeout(300_000);
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onInterrupt);
    process.once('exit', stopEverythingNow);
    fs.mkdirSync(mailbox);
    await createHosts(hosts);
    identityProviderStarted = operatorOn(
      identityProvider,
      900_000,
      'identity-provider',
      'start',
      ...ownHost(identityProvider),
    ).then(
      () => {
        fs.mkdirSync(path.dirname(identityProviderCa));
        fs.copyFileSync(path.join(identityProvider.state, 'tls', 'ca', 'ca.pem'), identityProviderCa);
        return undefined;
      },
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    if (firstOrderer === undefined) throw new Error('no orderer');
    // Every org's operator initialises its org on its own host; the orderer org names each orderer's host.
    const ordererAddresses = orderers.slice(1).map((on) => `${on.node ?? ''}=${on.host.address}`);
    await Promise.all([
      operatorOn(
        firstOrderer,
        120_000,
        'org',
        'init',
        ordererOrg.name,
        ...ownHost(firstOrderer),
        ...ordererAddresses.flatMap((address) => ['--address', address]),
      ),
      ...peerHosts.map((on) => operatorOn(on, 120_000, 'org', 'init', on.org, ...ownHost(on))),
    ]);
    // Each exports its public bundle and sends it: the only files that cross between orgs.
    bundles = {};
    await Promise.all(
      [firstOrderer, ...peerHosts].map(async (on) => {
        const outbox = path.join(work, `${on.org.toLowerCase()}-outbox`);
        await operatorOn(on, 30_000, 'org', 'export-bundle', on.org, '--state', on.state, '--out', outbox);
        bundles[on.org] = post(outbox, mailbox, on.org.toLowerCase());
      }),
    );
    await Promise.all(
      everyHost.map((on) =>
        operatorOn(
          on,
          180_000,
          'org',
          'start',
          on.org,
          ...ownHost(on),
          ...(on.node ? ['--node', on.node] : []),
          // Its projection and gateway follow its peer: they start once it joined the channel.
          '--nodes-only',
        ),
      ),
    );
  });

  after(async function () {
    this.timeout(120_000);
    const failed = this.test?.parent?.tests.some((test) => test.state === 'failed') ?? true;
    pool.closeAll();
    await identityProviderStarted;
    await Promise.allSettled([
      operatorOn(identityProvider, 60_000, 'identity-provider', 'stop', '--state', identityProvider.state),
      ...[...everyHost, ...(fs.existsSync(marketC.state) ? [marketC] : [])].map((on) =>
        operatorOn(
          on,
          60_000,
          'org',
          'stop',
          on.org,
          '--state',
          on.state,
          ...(on.node ? ['--node', on.node] : []),
        ),
      ),
    ]);
    const leftovers = killRecorded(runnerStates);
    if (leftovers.length > 0) console.log(`      killed what org stop left: ${leftovers.join(', ')}`);
    removeServiceData(runnerStates);
    removeHosts(hosts);
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
    process.removeListener('exit', stopEverythingNow);
    // A failed run keeps its state directories (logs, ledgers) for inspection.
    if (failed) figures.push(`failed: the orgs' state directories are kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
    figures.push(`multi-host tier wall time: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    for (const figure of figures) console.log(`      ${figure}`);
  });

  const bundle = (org: string) => bundles[org] ?? '';
  const peerBundles = () => peerHosts.map((on) => ['--bundle', bundle(on.org)]).flat();
  const ordererOf = () => ['--orderer-bundle', bundle(ordererOrg.name)];
  /** MarketA's admin commits the next definition, endorsed by its own peer and those the bundles name. */
  const commitAsMarketA = (endorsers: readonly string[]) =>
    operatorOn(
      marketA,
      120_000,
      'chaincode',
      'commit',
      '--as',
      'MarketA',
      ...ownHost(marketA),
      ...ordererOf(),
      ...endorsers.flatMap((org) => ['--bundle', bundle(org)]),
    );
  /** MarketB's admin submits a config update file, adding its own signature. */
  const submitAsMarketB = (file: string) =>
    operatorOn(
      marketB,
      60_000,
      'channel',
      'submit-update',
      file,
      '--as',
      'MarketB',
      ...ownHost(marketB),
      ...ordererOf(),
    );

  it('forms the channel from the bundles alone, and every orderer and peer reaches the same height', async () => {
    if (firstOrderer === undefined) throw new Error('no orderer');
    const block = path.join(mailbox, `${channelName}.block`);
    await operatorOn(
      firstOrderer,
      60_000,
      'channel',
      'create',
      ...peerBundles(),
      '--orderer-bundle',
      bundle(ordererOrg.name),
      '--out',
      block,
    );
    for (const on of orderers)
      await operatorOn(
        on,
        60_000,
        'orderer',
        'join',
        on.org,
        ...ownHost(on),
        '--node',
        on.node ?? '',
        '--channel',
        channelName,
        '--block',
        block,
      );
    await Promise.all(
      peerHosts.map((on) => operatorOn(on, 60_000, 'peer', 'join', on.org, ...ownHost(on), '--block', block)),
    );
    // Each peer learns the other orgs' peers through the anchor peers the bundles named.
    await Promise.all(
      peerHosts.map((on) =>
        eventually(
          `${on.org}'s peer to know the other two`,
          async () =>
            ((await metricOf(on, operationsPortOf(on), gossipPattern)) ?? 0) >= 2 ? true : undefined,
          { timeoutMs: 90_000, intervalMs: 500 },
        ),
      ),
    );
    expect(await sameHeight(everyHost)).to.equal(1);
  });

  it('deploys the chaincode: each org approves as its own admin, MarketA commits once a majority approved', async () => {
    const approve = (on: OrgHost, ...extra: string[]) =>
      operatorOn(
        on,
        120_000,
        'chaincode',
        'approve',
        '--as',
        on.org,
        ...ownHost(on),
        ...ordererOf(),
        ...extra,
      );
    await approve(marketA);
    const early = commitAsMarketA(peerHosts.map((on) => on.org)).then(
      () => 'committed',
      (error: unknown) => String(error),
    );
    expect(await early).to.match(/NOT_ENOUGH_APPROVALS|a majority must approve/);
    await approve(oversight);
    const committed = await commitAsMarketA(['Oversight']);
    expect(committed).to.include('committed as MarketA');
    // MarketB approves the committed definition late, so its peer endorses it too.
    expect(await approve(marketB, '--sequence', '1')).to.include('3 of 3 orgs approved');
    await sameHeight(everyHost, 4);
    // The chaincode learns its marketplaces from its registry: Oversight's admin registers the
    // channel's marketplaces as the founding ones, endorsed across the hosts by every org.
    const registered = await operatorOn(
      oversight,
      120_000,
      'marketplace',
      'register-founding',
      '--as',
      'Oversight',
      ...ownHost(oversight),
      ...ordererOf(),
      ...['MarketA', 'MarketB'].flatMap((org) => ['--bundle', bundle(org)]),
    );
    expect(registered)
      .to.match(/MarketA\s+MarketAMSP\s+active/)
      .and.to.match(/MarketB\s+MarketBMSP\s+active/);
    await sameHeight(everyHost);
  });

  it('runs each peer org’s whole deployment on its own host: PostgreSQL, Redis, its projection, its gateway', async function () {
    this.timeout(900_000);
    const identityProviderFailure = await identityProviderStarted;
    if (identityProviderFailure !== undefined) throw identityProviderFailure;
    // Its peer joined and the chaincode is committed: the mirror has a channel to follow. Its
    // gateway trusts its own realm at the identity provider's host, through the TLS root it was sent.
    const started = await Promise.all(
      peerHosts.map((on) => operatorOn(on, 240_000, 'org', 'start', on.org, ...ownHost(on), ...trusting)),
    );
    for (const [index, on] of peerHosts.entries())
      expect(started[index]).to.include(`${on.org}'s deployment runs on ${on.host.address}`);
    const height = await sameHeight(everyHost);
    for (const on of peerHosts)
      await eventually(
        `${on.org}'s projection at block ${String(height - 1)}`,
        async () => ((await projectedThrough(on)) >= height - 1 ? true : undefined),
        PROJECTION_WAIT,
      );
    figures.push(
      `MarketA's whole deployment on its host (CA, peer, chaincode server, PostgreSQL, Redis, mirror, gateway): ${String(residentMemoryMib(marketA.state))} MiB resident`,
    );
    // Its operator shows the consortium from its own host: the channel's orgs, its own peer's height.
    const view = JSON.parse(
      await operatorOn(
        marketA,
        60_000,
        'consortium',
        'show',
        '--json',
        '--as',
        'MarketA',
        ...ownHost(marketA),
      ),
    ) as { orgs: { name: string }[]; peers: { org: string; height: number | null }[] };
    expect(view.orgs.map((org) => org.name)).to.include.members(['MarketA', 'MarketB', 'Oversight']);
    expect(view.peers.map((peer) => peer.org)).to.deep.equal(['MarketA']);
    expect(view.peers[0]?.height).to.be.at.least(height);
  });

  /** A secret the identity provider's operator generated and hands the org it belongs to. */
  const identityProviderSecret = (name: string) =>
    fs.readFileSync(path.join(identityProvider.state, 'secrets', name), 'utf8').trim();
  const realmAt = (org: string) => `${identityProviderUrl}/realms/p2p-${org.toLowerCase()}`;
  /** A backend's token (client credentials) or a demo user's (password grant), from its org's realm. */
  const tokenOfHosts = (org: string, caller: string) =>
    tokenAt(
      realmAt(org),
      fs.readFileSync(identityProviderCa),
      caller.endsWith('-backend')
        ? {
            grant_type: 'client_credentials',
            client_id: caller,
            client_secret: identityProviderSecret(`keycloak-${caller}-secret`),
          }
        : {
            grant_type: 'password',
            client_id: 'escrow-web',
            username: caller,
            password: identityProviderSecret(`demo-${caller}-password`),
            scope: 'openid',
          },
    );
  /** A request at the gateway on `on`'s host, trusting that host's TLS root (public like its bundle). */
  const atGateway = (on: OrgHost, token: string, method: string, route: string, body?: unknown) =>
    gatewayRequest(
      `https://${on.host.address}:${String(portPlan.gateway[on.org]?.https)}`,
      fs.readFileSync(path.join(on.state, 'tls', 'ca', 'ca.pem')),
      token,
      method,
      route,
      body,
    );

  it('serves tokens of its own org’s realm at each org’s gateway, and refuses another org’s (401 TOKEN_ISSUER_UNTRUSTED)', async () => {
    const token = await tokenOfHosts('MarketA', 'marketa-backend');
    const own = await atGateway(marketA, token, 'GET', '/v1/escrows');
    expect(own.status, own.text).to.equal(200);
    for (const other of [marketB, oversight]) {
      const refused = await atGateway(other, token, 'GET', '/v1/escrows');
      expect(refused.status, refused.text).to.equal(401);
      expect(refused.body['code'], refused.text).to.equal('TOKEN_ISSUER_UNTRUSTED');
    }
  });

  /**
   * An escrow between MarketA's buyer alice and `seller` of the marketplace on `sellerHost`, each party
   * through its own marketplace's gateway with a token of its own realm; every node in `nodes`
   * commits each step before the next, and the parties' and Oversight's projections have it released.
   */
  const tradeThroughGateways = async (sellerHost: OrgHost, seller: string, nodes: readonly OrgHost[]) => {
    // The trade's escrow id and its funding: the hosts run no payments service, so MarketA's
    // payments identity funds from MarketA's own state directory, as the ledger trades below do.
    const trade = new Trade(pool, { ...CROSS_MARKET, seller }, 'gateways');
    const route = `/v1/escrows/${trade.escrowId}`;
    const [backend, alice, sellerToken] = await Promise.all([
      tokenOfHosts('MarketA', 'marketa-backend'),
      tokenOfHosts('MarketA', 'alice'),
      tokenOfHosts(sellerHost.org, seller),
    ]);
    /** One step at a gateway; then every node has its block, so the next endorsers read it. */
    const step = async (on: OrgHost, token: string, path: string, body?: unknown) => {
      const before = await sameHeight(nodes);
      const response = await atGateway(on, token, 'POST', path, body);
      expect(response.status, `${path} at ${on.org}: ${response.text}`).to.be.oneOf([200, 201]);
      await sameHeight(nodes, before + 1);
      return response;
    };
    // The channel's settings ask for an inspection period of one day at least.
    const request = createRequest(trade.escrowId, {
      seller: { marketplace: sellerHost.org, userId: seller },
      inspectionPeriodSeconds: 3 * 24 * 3600,
    });
    await step(marketA, backend, '/v1/escrows', request);
    await step(sellerHost, sellerToken, `${route}/accept`, {});
    await trade.fund();
    await sameHeight(nodes, Number(trade.lastBlock) + 1);
    const states = [];
    for (const [on, token, path, body] of [
      [sellerHost, sellerToken, 'ship', { carrier: 'DHL', trackingRef: 'MH1' }],
      [marketA, alice, 'confirm-delivery', undefined],
      [marketA, alice, 'release', {}],
    ] as const) {
      const response = await step(on, token, `${route}/${path}`, body);
      states.push((response.body['escrow'] as Record<string, unknown> | undefined)?.['state']);
    }
    expect(states).to.deep.equal(['SHIPPED', 'DELIVERED', 'RELEASED']);
    // Each party reads it at its own gateway; each org's projection has it released.
    for (const [on, token] of [
      [marketA, alice],
      [sellerHost, sellerToken],
    ] as const) {
      const read = await atGateway(on, token, 'GET', route);
      expect(read.status, read.text).to.equal(200);
      expect(read.body['state']).to.equal('RELEASED');
    }
    for (const on of [marketA, sellerHost, oversight])
      await eventually(
        `the gateways' trade released in ${on.org}'s projection`,
        async () => ((await projectedState(on, trade.escrowId)) === 'RELEASED' ? true : undefined),
        PROJECTION_WAIT,
      );
  };

  it('completes an escrow between a MarketA buyer and a MarketB seller, each party through its own marketplace’s gateway', async () => {
    await tradeThroughGateways(marketB, 'bea', everyHost);
  });

  it('completes an escrow between a MarketA buyer and a MarketB seller, each side through its own org’s peer', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'multihost');
    const steps = await trade.stepsThroughRelease();
    expect(steps.map((step) => step.escrow.state)).to.deep.equal([
      'PROPOSED',
      'CREATED',
      'FUNDED',
      'SHIPPED',
      'DELIVERED',
      'RELEASED',
    ]);
    expect((await trade.read('bea')).state).to.equal('RELEASED');
    await sameHeight(everyHost, Number(trade.lastBlock) + 1);
    // Each party's own projection, and the auditor's, has it as the ledger does.
    for (const on of peerHosts)
      await eventually(
        `the trade released in ${on.org}'s projection`,
        async () => ((await projectedState(on, trade.escrowId)) === 'RELEASED' ? true : undefined),
        PROJECTION_WAIT,
      );
  });

  it('keeps committing with the Raft leader’s host cut off, and that orderer catches up after', async () => {
    const leader = await eventually('a Raft leader', async () => {
      for (const on of orderers)
        if ((await metricOf(on, operationsPortOf(on), leaderPattern)) === 1) return on;
      return undefined;
    });
    const others = orderers.filter((on) => on !== leader);
    const before = await sameHeight(everyHost);
    await setLink(leader.host, false);
    const cutAt = Date.now();
    try {
      // Transactions a follower accepts while it still forwards to the vanished leader are lost
      // (Raft drops them); the channel commits again once the others elect a new leader.
      const successor = await eventually(
        'a new Raft leader among the other orderers',
        async () => {
          for (const on of others)
            if ((await metricOf(on, operationsPortOf(on), leaderPattern)) === 1) return on;
          return undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      figures.push(
        `${successor.node ?? ''} elected Raft leader ${String(Date.now() - cutAt)} ms after the cut`,
      );
      const trade = new Trade(pool, CROSS_MARKET, 'orderer-loss');
      const proposed = await retriedOnOrdering(() => trade.propose());
      const gapMs = Date.now() - cutAt;
      figures.push(
        `orderer-loss commit gap (${leader.node ?? ''}, the Raft leader, cut off): ${String(gapMs)} ms to block ${String(proposed.blockNumber)}`,
      );
      await retriedOnOrdering(() => trade.accept());
      expect(await sameHeight([...others, ...peerHosts], Number(trade.lastBlock) + 1)).to.be.greaterThan(
        before,
      );
    } finally {
      await setLink(leader.host, true);
    }
    const upAt = Date.now();
    await sameHeight(everyHost);
    figures.push(`${leader.node ?? ''} caught up ${String(Date.now() - upAt)} ms after its link came back`);
  });

  it('holds a trade while MarketB’s host is cut off, then resumes it and MarketB’s peer catches up', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'peer-loss');
    await trade.propose();
    await trade.accept();
    await trade.fund();
    await trade.ship();
    await sameHeight(everyHost, Number(trade.lastBlock) + 1);
    // A MarketA-only trade, committed while MarketB is away.
    const local = new Trade(pool, { ...CROSS_MARKET, seller: 'amir' }, 'while-b-away');
    await setLink(marketB.host, false);
    try {
      // The buyer's next step needs MarketB's endorsement: refused within the endorsement deadline.
      const attempt = submitEscrow(pool.of('alice'), TRANSACTIONS.confirmDelivery, [trade.escrowId], {
        endorsingOrganizations: trade.endorsers,
      });
      const refused = await attempt.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused, 'confirmDelivery committed without MarketB').to.be.instanceOf(GatewayError);
      // Meanwhile a MarketA-only trade commits (MarketA + Oversight endorse): a block MarketB misses.
      await local.propose();
      const reachable = [...orderers, marketA, oversight];
      await sameHeight(reachable, Number(local.lastBlock) + 1);
    } finally {
      await setLink(marketB.host, true);
    }
    const upAt = Date.now();
    await sameHeight(everyHost);
    figures.push(`MarketB's peer caught up ${String(Date.now() - upAt)} ms after its link came back`);
    // The buyer's peer redials MarketB's peer with a back-off of its own: the next step is retried
    // while that peer reports MarketB's endorser unavailable.
    const delivered = await retriedWhileEndorserUnavailable(() => trade.confirmDelivery());
    expect(delivered.escrow.state).to.equal('DELIVERED');
    expect((await trade.release()).escrow.state).to.equal('RELEASED');
    expect((await trade.read('bea')).state).to.equal('RELEASED');
    // MarketB's mirror caught up with its peer: nothing lost, and the MarketA-only trade not its own.
    const height = await sameHeight(everyHost);
    await eventually(
      "MarketB's projection at the ledger's height",
      async () => ((await projectedThrough(marketB)) >= height - 1 ? true : undefined),
      PROJECTION_WAIT,
    );
    expect(await projectedState(marketB, trade.escrowId)).to.equal('RELEASED');
    expect(await projectedState(marketB, local.escrowId)).to.equal(undefined);
    expect(await projectedState(marketA, local.escrowId)).to.equal('PROPOSED');
  });

  /** `peer channel update` as an org's admin from its own host, to the orderer its bundle names: no operator command. */
  const rawChannelUpdate = (on: OrgHost, admin: string, file: string): Promise<string> => {
    const ordererBundle = bundle(ordererOrg.name);
    const manifest = JSON.parse(fs.readFileSync(path.join(ordererBundle, 'manifest.json'), 'utf8')) as {
      ordererEndpoints: string[];
      files: { path: string }[];
    };
    const tlsCa = manifest.files.find((file) => file.path.startsWith('msp/tlscacerts/'))?.path ?? '';
    return runCommand(
      'ip',
      [
        ...['netns', 'exec', on.host.namespace, path.join(fabricBinDir, 'peer'), 'channel', 'update'],
        ...['-f', file, '-c', channelName, '-o', manifest.ordererEndpoints[0] ?? ''],
        ...['--tls', '--cafile', path.join(ordererBundle, tlsCa)],
      ],
      {
        env: {
          FABRIC_CFG_PATH: path.join(fabricBinDir, '..', 'sampleconfig'),
          CORE_PEER_LOCALMSPID: peerOrg(on.org).mspId,
          CORE_PEER_MSPCONFIGPATH: path.join(identityDir(on.org, admin, on.state), 'msp'),
        },
        timeoutMs: 60_000,
      },
    );
  };

  it('onboards MarketC: a config update signed by a majority, its peer joins and catches up, the next definition and the registry take it in, and a MarketA buyer trades with a MarketC seller; a majority suspends and reinstates it', async function () {
    this.timeout(420_000);
    const startedAt = Date.now();
    const operator = (on: OrgHost, timeoutMs: number, ...args: string[]) =>
      operatorOn(on, timeoutMs, ...args, ...(args.includes('--state') ? [] : ownHost(on)));
    // The identity provider's operator adds MarketC's realm on the running Keycloak (a second run
    // changes nothing), while MarketC's operator sets its org up on its own host and sends its bundle.
    const realmAdd = () =>
      operatorOn(
        identityProvider,
        240_000,
        'identity-provider',
        'realm',
        'add',
        'MarketC',
        ...ownHost(identityProvider),
      );
    const realmAdded = realmAdd().then(async (first) => [first, await realmAdd()] as const);
    realmAdded.catch(() => undefined);
    await operator(marketC, 120_000, 'org', 'init', 'MarketC');
    const outbox = path.join(work, 'marketc-outbox');
    await operatorOn(
      marketC,
      30_000,
      'org',
      'export-bundle',
      'MarketC',
      '--state',
      marketC.state,
      '--out',
      outbox,
    );
    bundles['MarketC'] = post(outbox, mailbox, 'marketc');
    // MarketA's admin writes the update; it travels to Oversight's host for a signature, then to
    // MarketB's, whose admin submits it. One signature alone is refused before the orderer sees it.
    const update = path.join(mailbox, 'add-marketc.pb');
    await operator(
      marketA,
      60_000,
      'channel',
      'add-org',
      '--bundle',
      bundle('MarketC'),
      '--as',
      'MarketA',
      '--out',
      update,
    );
    const alone = path.join(mailbox, 'add-marketc-alone.pb');
    fs.copyFileSync(update, alone);
    const early = await submitAsMarketB(alone).then(
      () => 'submitted',
      (error: unknown) => String(error),
    );
    expect(early).to.match(/NOT_ENOUGH_SIGNATURES|carries 1 of the 2/);
    // A rogue admin skipping the operator commands sends the same one-signature update straight to
    // the orderer with Fabric's own CLI: the channel's MAJORITY Admins policy refuses it there.
    const rogue = await rawChannelUpdate(marketB, 'marketb-admin', alone).then(
      () => 'accepted',
      (error: unknown) => String(error),
    );
    expect(rogue).to.match(/BAD_REQUEST|policy/);
    await operator(oversight, 60_000, 'channel', 'sign-update', update, '--as', 'Oversight');
    await submitAsMarketB(update);
    // MarketC's node starts on its host, joins from the genesis block and catches up through the update.
    await operator(marketC, 180_000, 'org', 'start', 'MarketC', '--nodes-only');
    await operator(
      marketC,
      60_000,
      'peer',
      'join',
      'MarketC',
      '--block',
      path.join(mailbox, `${channelName}.block`),
    );
    const members = [...everyHost, marketC];
    await sameHeight(members);
    // Its peer is a member: MarketC's whole deployment (PostgreSQL, Redis, projection, gateway) starts,
    // its gateway trusting MarketC's realm, which the identity provider's operator added meanwhile.
    const [realmCreated, realmAgain] = await realmAdded;
    expect(realmCreated).to.match(/realm p2p-marketc of MarketC created/);
    expect(realmAgain).to.match(/realm p2p-marketc of MarketC exists .* already; nothing changed/);
    await operator(marketC, 240_000, 'org', 'start', 'MarketC', ...trusting);
    // The next definition brings MarketC's collections and asks any two of four orgs: a majority
    // of the four (three) approves, MarketC too so that its peer runs it, and MarketA commits.
    await Promise.all(
      [marketA, marketB, oversight, marketC].map((on) =>
        operator(on, 120_000, 'chaincode', 'approve', '--as', on.org, ...ordererOf()),
      ),
    );
    await commitAsMarketA(['MarketB', 'Oversight', 'MarketC']);
    // The chaincode's registry takes MarketC in: MarketA's admin proposes, a majority endorses.
    const added = await operator(
      marketA,
      120_000,
      'marketplace',
      'add',
      'MarketC',
      '--as',
      'MarketA',
      ...ordererOf(),
      ...['MarketB', 'Oversight'].flatMap((org) => ['--bundle', bundle(org)]),
    );
    expect(added).to.match(/MarketC\s+MarketCMSP\s+active/);
    await sameHeight(members);
    // A MarketA buyer and a MarketC seller trade, each side through its own org's peer; beside it,
    // a split escrow of three milestones with the same seller: the first released, two still open.
    const trade = new Trade(pool, { ...CROSS_MARKET, seller: 'chidi' }, 'marketc');
    const split = new Trade(pool, { ...CROSS_MARKET, seller: 'chidi' }, 'marketc-items', '30000');
    split.terms = { items: MILESTONES };
    const [steps] = await Promise.all([trade.stepsThroughRelease(), openSplitEscrow(split)]);
    expect(steps.at(-1)?.escrow.state).to.equal('RELEASED');
    expect((await trade.read('chidi')).state).to.equal('RELEASED');
    await eventually(
      "the trade released in MarketC's projection",
      async () => ((await projectedState(marketC, trade.escrowId)) === 'RELEASED' ? true : undefined),
      PROJECTION_WAIT,
    );
    expect(await projectedState(marketB, trade.escrowId)).to.equal(undefined);
    figures.push(
      `MarketC onboarded, from org init to its first released escrow: ${String(Date.now() - startedAt)} ms`,
    );
    // The reverse, by operator commands too: suspended by a majority, MarketC's users are refused;
    // reinstated, they act again.
    const governance = (on: OrgHost, change: string, ...bundled: string[]) =>
      operator(
        on,
        120_000,
        'marketplace',
        change,
        'MarketC',
        '--as',
        on.org,
        ...ordererOf(),
        ...bundled.flatMap((org) => ['--bundle', bundle(org)]),
      );
    expect(await governance(marketB, 'suspend', 'MarketA', 'Oversight')).to.match(
      /MarketC\s+MarketCMSP\s+suspended/,
    );
    await sameHeight(members);
    const refused = await trade.read('chidi').then(
      () => undefined,
      (error: unknown) => error,
    );
    const texts =
      refused instanceof GatewayError
        ? [refused.message, ...refused.details.map((detail) => detail.message)]
        : [String(refused)];
    expect(refusalIn(texts)?.code, texts.join(' | ')).to.equal('MARKETPLACE_SUSPENDED');
    await expectSplitEscrowEnded(pool, split);
    expect(await governance(oversight, 'reinstate', 'MarketA', 'MarketB')).to.match(
      /MarketC\s+MarketCMSP\s+active/,
    );
    await sameHeight(members);
    expect((await trade.read('chidi')).state).to.equal('RELEASED');
    expect((await split.read('chidi')).state).to.equal('RESOLVED');
  });

  it('completes an escrow between a MarketA buyer and a MarketC seller through their gateways with tokens of MarketC’s added realm, and refuses a MarketC token at MarketA’s gateway (401 TOKEN_ISSUER_UNTRUSTED)', async () => {
    const token = await tokenOfHosts('MarketC', 'marketc-backend');
    const own = await atGateway(marketC, token, 'GET', '/v1/escrows');
    expect(own.status, own.text).to.equal(200);
    const refused = await atGateway(marketA, token, 'GET', '/v1/escrows');
    expect(refused.status, refused.text).to.equal(401);
    expect(refused.body['code'], refused.text).to.equal('TOKEN_ISSUER_UNTRUSTED');
    await tradeThroughGateways(marketC, 'chidi', [...everyHost, marketC]);
  });

  it(`nets a settlement period of ${String(NETTING_ESCROWS)} escrows across MarketA, MarketB and MarketC into statements that balance to the unit`, async function () {
    this.timeout(300_000);
    const startedAt = Date.now();
    const orgs: OrgName[] = ['MarketA', 'MarketB', 'MarketC', 'Oversight'];
    const heights = await PeerHeights.follow(pool, orgs);
    try {
      // Short periods, so that the period of the trades below ends within seconds of the last one.
      await heights.reached(orgs, await setSettlementPeriod(pool, NETTING_PERIOD_SECONDS));
      const trades = nettingTrades(pool, NETTING_ESCROWS);
      await inParallel(trades, NETTING_IN_FLIGHT, (trade) => runNettingTrade(heights, trade));
      const drivenMs = Date.now() - startedAt;
      const lastBlock = trades.reduce(
        (max, { trade }) => (trade.lastBlock > max ? trade.lastBlock : max),
        0n,
      );
      await heights.reached(orgs, lastBlock);
      // Each terminal step recorded the seller's payout as owed by the buyer's marketplace to the seller's.
      const obligations = await Promise.all(trades.map(({ trade }) => readObligation(pool, trade.escrowId)));
      for (const [index, obligation] of obligations.entries()) {
        const { trade, sellerPayout } = trades[index] ?? {};
        expect(obligation).to.deep.include({
          escrowId: trade?.escrowId,
          payer: trade?.buyerOrg,
          payee: trade?.sellerOrg,
          amount: sellerPayout,
          status: 'open',
        });
      }
      const statementIds = statementIdsOf(obligations);
      const periodsEnd =
        obligations
          .map((obligation) => obligation.periodEndsAt)
          .sort()
          .at(-1) ?? '';
      await untilPast(new Date(periodsEnd), 1_000);
      const proposedIn = await Promise.all(
        statementIds.map((statementId) => proposeStatement(pool, heights, statementId, lastBlock)),
      );
      await heights.reached(
        ['Oversight'],
        proposedIn.reduce((max, block) => (block > max ? block : max), 0n),
      );
      const statements = await Promise.all(
        statementIds.map((statementId) => readStatement(pool, statementId)),
      );
      const netted = await Promise.all(trades.map(({ trade }) => readObligation(pool, trade.escrowId)));
      const check = checkNetting(netted, statements);
      expect(check.differences).to.deep.equal([]);
      expect(new Set(statements.map((statement) => `${statement.first}:${statement.second}`)).size).to.equal(
        3,
      );
      const positions = [...check.positions].map(
        ([org, net]) => `${org} ${net > 0n ? '+' : ''}${String(net)}`,
      );
      figures.push(
        `netting: ${String(trades.length)} escrows (${String(trades.filter((trade) => trade.resolved).length)} resolved) across 3 marketplaces driven in ${String(drivenMs)} ms; ${String(statements.length)} statements over ${String(new Set(statements.map((statement) => statement.period)).size)} periods of ${String(NETTING_PERIOD_SECONDS)} s, gross ${String(check.gross)} EUR minor units, nets ${positions.join(', ')} (Σ 0); ${String(Date.now() - startedAt)} ms in all`,
      );
    } finally {
      heights.close();
    }
  });

  it('leaves no org a private key of another org’s certificate (every state directory scanned)', () => {
    const caCertificates = Object.fromEntries(
      Object.entries(bundles).map(([org, dir]) => [
        org,
        fs.readFileSync(path.join(dir, 'msp', 'cacerts', 'ca-cert.pem'), 'utf8'),
      ]),
    );
    const owners = certificateOwners(
      states.filter((state) => fs.existsSync(state)),
      caCertificates,
    );
    const misplaced: string[] = [];
    let own = 0;
    const initialised = [orderers[0] ?? marketA, ...peerHosts, marketC].filter((on) =>
      fs.existsSync(on.state),
    );
    for (const on of initialised) {
      for (const key of privateKeysUnder(on.state)) {
        if (key.publicKeyId === undefined) {
          misplaced.push(`${key.file} holds a key no encoding reads`);
          continue;
        }
        const owner = owners.get(key.publicKeyId);
        if (owner === on.org) own += 1;
        else if (owner !== undefined) misplaced.push(`${key.file} holds a key of ${owner}`);
      }
    }
    expect(misplaced).to.deep.equal([]);
    // Not vacuous: every org's nodes and users hold keys of its own certificates.
    expect(own).to.be.greaterThan(4 * 3);
    expect(privateKeysUnder(mailbox)).to.deep.equal([]);
  });
});
