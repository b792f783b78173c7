// Schema-driven fuzzing of the gateway: schemathesis reads the served /openapi.json and sends what it
// generates from it (documented examples, random valid and invalid data, and stateful sequences along
// the document's links: create, then act on what was created) with real tokens of a
// marketplace backend, a buyer, a seller, an arbiter and an auditor. Passing means no 5xx, every
// response as documented (status, content type, schema), every refusal problem+json with a stable
// code, at least 2 000 requests, and every operation of the document answered 2xx at least once (but
// NO_SUCCESS_EXPECTED's). Seeded (FUZZ_SEED replays another seed) and bounded by its number of examples.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  as,
  CROSS_MARKET,
  eventually,
  fabricSuite,
  gatewayTlsCaFile,
  gatewayUrlOf,
  tokenOf,
  Trade,
  type Caller,
  type GatewayPool,
} from '@p2p-escrow/testkit';
import { loadOpenApi } from '../openapi/apiDocs';
import { escrowAt, itemEscrowAt, type ItemStage } from './fuzzFixtures';
import {
  formatFuzzReport,
  formatFuzzTiming,
  fuzzReport,
  fuzzTiming,
  parseCallLog,
  schemathesisRunLine,
} from './fuzzReport';
import { runSchemathesis, type SchemathesisRun } from './schemathesisRun';

const SEED = Number(process.env['FUZZ_SEED'] ?? '17');
const REQUIRED_REQUESTS = 2_000;
/**
 * The run's bound: cases per operation in the fuzzing phase (fewer where an operation's inputs run out
 * first, as for a GET without parameters), and stateful scenarios (up to six steps each) per gateway.
 */
const EXAMPLES_PER_OPERATION = 40;
const STATEFUL_SCENARIOS = 30;
/** Only against a hung schemathesis: the examples end each run well before. */
const GUARD_SECONDS = 420;

/**
 * Operations the run cannot bring to a 2xx, and why: reported with the rest, not required. The keeper
 * submits expireReturn itself within seconds of a return's deadline, so a caller's request for an
 * expiry is only ever early (422 DEADLINE_NOT_REACHED) or late (409 INVALID_STATE); so it is with an
 * item's missed delivery.
 */
const NO_SUCCESS_EXPECTED: Readonly<Record<string, string>> = {
  expireReturn: "the keeper's own transaction once a return's deadline passes",
  expireItemDelivery: "the keeper's own transaction once a shipped item's deliver-by passes",
};

/**
 * Who acts at MarketA's gateway, in order of preference, for each operation; the marketplace backend
 * otherwise. The arbiter resolves at Oversight's (OVERSIGHT_CALLERS).
 */
const CALLERS: Readonly<Record<string, readonly Caller[]>> = {
  getPrivateDetails: ['alice'],
  acceptEscrow: ['amir'],
  declineEscrow: ['amir'],
  shipEscrow: ['amir'],
  confirmDelivery: ['alice'],
  releaseEscrow: ['alice'],
  disputeEscrow: ['alice'],
  // Before funding a party cancels; its marketplace only once fund-by has passed.
  cancelEscrow: ['amir'],
  claimRefund: ['alice'],
  extendShipBy: ['alice'],
  offerSettlement: ['alice'],
  acceptSettlementOffer: ['amir'],
  declineSettlementOffer: ['amir'],
  postReview: ['alice'],
  getReputation: ['alice'],
  // Changed terms between the parties of one marketplace are theirs to propose, not its backend's.
  proposeTerms: ['alice'],
  shipItem: ['amir'],
  confirmItemDelivery: ['alice'],
  releaseItem: ['alice'],
  disputeItem: ['alice'],
  rejectItem: ['alice'],
  provideReturnAddress: ['amir'],
  shipReturn: ['alice'],
  confirmReturn: ['amir'],
  disputeReturn: ['amir'],
  expireReturn: ['alice'],
  offerItemSettlement: ['alice'],
  acceptItemOffer: ['amir'],
  declineItemOffer: ['amir'],
};
/** What the arbiter and the auditor do at Oversight's gateway (their realm's; MarketA's refuses them). */
const OVERSIGHT_OPERATIONS = [
  'resolveDispute',
  'resolveItem',
  'clearRiskFlag',
  'getEscrow',
  'getEscrowProof',
  'getEscrowHistory',
  'listEscrows',
  'getReputation',
  'getTransaction',
  'getConsortiumStatus',
];
const OVERSIGHT_CALLERS: Readonly<Record<string, readonly Caller[]>> = {
  resolveDispute: ['olivia'],
  resolveItem: ['olivia'],
  clearRiskFlag: ['olivia'],
  getEscrow: ['oscar'],
  getEscrowProof: ['oscar'],
  getEscrowHistory: ['oscar'],
  listEscrows: ['oscar'],
  getReputation: ['oscar'],
  getTransaction: ['oscar'],
  getConsortiumStatus: ['oscar'],
};
const MARKETA_CALLERS: readonly Caller[] = ['marketa-backend', 'alice', 'amir'];
const OVERSIGHT_CALLER_NAMES: readonly Caller[] = ['olivia', 'oscar'];

const ITEM_LEVEL = /\/items\/\{item\}\//;

/** Each operationId of the document with its path. */
const documentedPaths: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(loadOpenApi()['paths'] as Record<string, Record<string, { operationId?: string }>>).flatMap(
    ([route, operations]) =>
      Object.values(operations).flatMap((operation) =>
        typeof operation.operationId === 'string' ? [[operation.operationId, route] as const] : [],
      ),
  ),
);

function documentedOperations(): string[] {
  return Object.keys(documentedPaths);
}

/** A loopback endpoint answering 204: the only address the run registers webhooks for. */
async function webhookReceiver(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return server;
}

/**
 * What a fixture walk yields, or nothing when it failed: the run goes on, and the operations that
 * needed it show up in the report without a 2xx.
 */
async function fixture(what: string, walk: () => Promise<string>): Promise<string[]> {
  try {
    return [await walk()];
  } catch (error) {
    console.log(`    ${what}: ${String(error)}`);
    return [];
  }
}

/** The rules of the risk holds the arbiter may lift during the run: one success each. */
const HELD_RULES = ['fuzz.hold-a', 'fuzz.hold-b', 'fuzz.hold-c'];

/**
 * An escrow held by Oversight's risk service under each of HELD_RULES, raised straight on the ledger
 * as the risk service does; the arbiter clears them at Oversight's gateway.
 */
async function heldEscrow(pool: GatewayPool): Promise<string> {
  const trade = new Trade(pool, CROSS_MARKET, 'fuzz-held');
  await trade.create();
  await trade.fund();
  for (const rule of HELD_RULES) {
    const flag = { rule, reasonCode: 'FUZZ_HOLD', severity: 'high', action: 'hold' };
    await trade.step('risk-service', 'raiseRiskFlag', [trade.escrowId, JSON.stringify(flag)]);
  }
  await pool.caughtUp(['MarketA', 'MarketB', 'Oversight'], trade.lastBlock);
  return trade.escrowId;
}

/**
 * A released escrow its marketplace collected itself (funded straight to the peers with a reference of
 * its own, not a provider payment): the settlement worker leaves it, so recording the seller's payout
 * is the backend's to do. A released escrow funded through the provider is paid and recorded by the
 * worker before the fuzzer could (ALREADY_SETTLED).
 */
async function selfCollectedEscrow(pool: GatewayPool): Promise<string> {
  const marketA = {
    buyer: 'alice',
    seller: 'amir',
    backend: 'marketa-backend',
    payments: 'marketa-payments',
  };
  const trade = new Trade(pool, marketA, 'fuzz-self-collected');
  await trade.completeThroughRelease();
  await pool.caughtUp(['MarketA', 'Oversight'], trade.lastBlock);
  return trade.escrowId;
}

interface Prepared {
  readonly pathValues: Record<string, Record<string, string[]>>;
  readonly bodyValues: Record<string, Record<string, unknown[]>>;
}

/** Escrows in the state each operation needs, and the ids and bodies that make a request succeed. */
async function prepare(webhookUrl: string, pool: GatewayPool): Promise<Prepared> {
  const day = 86_400_000;
  const later = (ms: number) => new Date(Date.now() + ms).toISOString();
  const at = (...walk: Parameters<typeof escrowAt>) => fixture(walk[0], () => escrowAt(...walk));
  const withItems = (...stages: ItemStage[]) =>
    fixture(`items ${stages.join(', ')}`, () => itemEscrowAt(stages));
  const [proposedA, proposedD, createdC, createdP, createdT, funded, late, shipped, deliveredR, deliveredD] =
    await Promise.all([
      at('proposed'),
      at('proposed'),
      at('created'),
      at('created'),
      at('created'),
      at('funded'),
      // Its ship-by passes during the run, so the buyer may claim the refund.
      at('funded', { shipInMs: 45_000 }),
      at('shipped'),
      at('delivered'),
      at('delivered'),
    ]);
  // Each item of these stands where one item-level operation starts (index in the comment).
  const [moving, judged, offered, rejected, returned, held] = await Promise.all([
    // shipItem 0, confirmItemDelivery 1, releaseItem 2
    withItems('funded', 'shipped', 'delivered'),
    // disputeItem 0, rejectItem 1, resolveItem 2
    withItems('delivered', 'delivered', 'disputed'),
    // offerItemSettlement 0, acceptItemOffer 1, declineItemOffer 2
    withItems('disputed', 'offered', 'offered'),
    // provideReturnAddress 0, shipReturn 1
    withItems('rejected', 'addressed'),
    // confirmReturn 0, disputeReturn 1
    withItems('returnShipped', 'returnShipped'),
    fixture('held escrow', () => heldEscrow(pool)),
  ]);
  const selfCollected = await fixture('self-collected escrow', () => selfCollectedEscrow(pool));
  const [disputedO, disputedR, offeredA, offeredD, released] = await Promise.all([
    at('disputed'),
    at('disputed'),
    at('offered'),
    at('offered'),
    at('released'),
  ]);
  const webhook = await as('marketa-backend', 'POST', '/v1/webhooks', { url: webhookUrl });
  const spare = await as('marketa-backend', 'POST', '/v1/webhooks', { url: webhookUrl });
  // The released escrow's events, once MarketA's projection holds them (the page is `records`).
  const eventIds = await eventually(
    "the released escrow's events",
    async () => {
      const events = await as('marketa-backend', 'GET', `/v1/events?escrowId=${released[0] ?? 'none'}`);
      const records = (events.body['records'] ?? []) as { eventId: string }[];
      return records.length > 0 || released.length === 0 ? records.map((event) => event.eventId) : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const history = await as('marketa-backend', 'GET', `/v1/escrows/${released[0] ?? 'none'}/history`);
  const txIds = ((history.body['entries'] ?? []) as { txId: string }[]).map((entry) => entry.txId);
  const webhookIds = [String(webhook.body['id'])];
  const every = [...released, ...shipped, ...funded];
  const onItem = (escrowIds: string[], item: number) => ({ escrowId: escrowIds, item: [String(item)] });
  const shipment = { carrier: ['DHL'], trackingRef: ['FUZZ-2'] };
  return {
    pathValues: {
      getEscrow: { escrowId: every },
      getEscrowHistory: { escrowId: every },
      getEscrowProof: { escrowId: every },
      getPayout: { escrowId: every },
      getPrivateDetails: { escrowId: [...released, ...funded] },
      acceptEscrow: { escrowId: proposedA },
      declineEscrow: { escrowId: proposedD },
      proposeTerms: { escrowId: createdT },
      cancelEscrow: { escrowId: createdC },
      createPayment: { escrowId: createdP },
      extendShipBy: { escrowId: createdP },
      shipEscrow: { escrowId: funded },
      claimRefund: { escrowId: late },
      confirmDelivery: { escrowId: shipped },
      releaseEscrow: { escrowId: deliveredR },
      disputeEscrow: { escrowId: deliveredD },
      offerSettlement: { escrowId: disputedO },
      resolveDispute: { escrowId: disputedR },
      acceptSettlementOffer: { escrowId: offeredA },
      declineSettlementOffer: { escrowId: offeredD },
      recordSettlement: { escrowId: selfCollected },
      postReview: { escrowId: released },
      erasePrivateDetails: { escrowId: released },
      clearRiskFlag: { escrowId: held, rule: HELD_RULES },
      shipItem: onItem(moving, 0),
      confirmItemDelivery: onItem(moving, 1),
      releaseItem: onItem(moving, 2),
      disputeItem: onItem(judged, 0),
      rejectItem: onItem(judged, 1),
      resolveItem: onItem(judged, 2),
      offerItemSettlement: onItem(offered, 0),
      acceptItemOffer: onItem(offered, 1),
      declineItemOffer: onItem(offered, 2),
      provideReturnAddress: onItem(rejected, 0),
      shipReturn: onItem(rejected, 1),
      expireReturn: onItem(rejected, 0),
      confirmReturn: onItem(returned, 0),
      disputeReturn: onItem(returned, 1),
      startVerification: { partyId: ['MarketA:alice', 'MarketA:amir'] },
      getVerification: { partyId: ['MarketA:alice', 'MarketA:amir'] },
      getReputation: { marketplace: ['MarketA'], userId: ['alice', 'amir'] },
      getTransaction: { txId: txIds },
      getEvent: { eventId: eventIds },
      deleteWebhook: { webhookId: [String(spare.body['id'])] },
      rotateWebhookSecret: { webhookId: webhookIds },
      redeliverWebhook: { webhookId: webhookIds },
    },
    bodyValues: {
      createEscrow: {
        buyer: [{ marketplace: 'MarketA', userId: 'alice' }],
        seller: [{ marketplace: 'MarketA', userId: 'amir' }],
        currency: ['EUR'],
        feeBps: [250],
        items: [[{ description: 'Fuzz lamp', price: '2500' }]],
        fundBy: [later(day)],
        shipBy: [later(7 * day)],
        acceptBy: [later(day / 2)],
        inspectionPeriodSeconds: [3 * 86_400],
      },
      proposeTerms: { shipBy: [later(20 * day)], fundBy: [later(2 * day)] },
      extendShipBy: { shipBy: [later(30 * day)] },
      offerSettlement: { buyerRefund: ['1000'], expiresAt: [later(day)] },
      resolveDispute: { buyerRefund: ['1000'] },
      recordSettlement: { payee: ['seller', 'buyer'] },
      redeliverWebhook: { eventId: eventIds },
      shipItem: shipment,
      shipReturn: shipment,
      resolveItem: { buyerRefund: ['100'] },
      offerItemSettlement: { buyerRefund: ['100'], expiresAt: [later(day)] },
      disputeItem: { evidenceHashes: [[]] },
      disputeReturn: { evidenceHashes: [[]] },
      provideReturnAddress: { address: ['1 Fuzz Way, Lyon'] },
      clearRiskFlag: { reason: ['checked during the fuzzing run'] },
    },
  };
}

/**
 * How often the callers' tokens are written out again during the run: Keycloak's live five minutes, and
 * tokenOf logs in again once one has less than 30 s left, so the file never holds an expired one.
 */
const TOKEN_RENEWAL_MS = 15_000;

/**
 * Writes the callers' current tokens to `file` (whole, then renamed, so the hooks never read half of
 * it), now and every TOKEN_RENEWAL_MS until the returned stop is called.
 */
async function renewTokens(file: string, callers: readonly Caller[]): Promise<() => void> {
  const write = async () => {
    const tokens = Object.fromEntries(
      await Promise.all(callers.map(async (caller) => [caller, await tokenOf(caller)] as const)),
    );
    fs.writeFileSync(`${file}.next`, JSON.stringify(tokens), { mode: 0o600 });
    fs.renameSync(`${file}.next`, file);
  };
  await write();
  const timer = setInterval(() => {
    write().catch((error: unknown) => {
      console.log(`    could not renew the tokens: ${String(error)}`);
    });
  }, TOKEN_RENEWAL_MS);
  return () => {
    clearInterval(timer);
  };
}

function writePlan(
  dir: string,
  name: string,
  callers: Readonly<Record<string, readonly Caller[]>>,
  everyCaller: readonly Caller[],
  tokensFile: string,
  prepared: Prepared,
  webhookUrl: string,
) {
  const callsFile = path.join(dir, `${name}.calls.jsonl`);
  const planFile = path.join(dir, `${name}.plan.json`);
  const plan = { seed: SEED, callsFile, callers, everyCaller, tokensFile, ...prepared, webhookUrl };
  fs.writeFileSync(planFile, JSON.stringify(plan), { mode: 0o600 });
  return { name, planFile, callsFile };
}

describe('gateway e2e: schema-driven fuzzing of the whole API (schemathesis)', function () {
  // Fixtures (half a minute to two minutes on two loaded cores), then the runs (under their guard).
  this.timeout(600_000);
  const pool = fabricSuite();
  let receiver: http.Server;
  let dir: string;

  before(async () => {
    receiver = await webhookReceiver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'p2p-fuzz-'));
  });
  after(async () => {
    // The run's webhooks go, so the notifier stops delivering to a closed receiver and the next run
    // stays under the marketplace's subscription limit.
    const listed = await as('marketa-backend', 'GET', '/v1/webhooks');
    const port = String((receiver.address() as AddressInfo).port);
    for (const webhook of (listed.body['items'] ?? []) as { id: string; url: string }[])
      if (webhook.url.startsWith(`http://127.0.0.1:${port}/`))
        await as('marketa-backend', 'DELETE', `/v1/webhooks/${webhook.id}`);
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`answers ${String(REQUIRED_REQUESTS)}+ generated requests without a 5xx, as documented, each operation 2xx at least once`, async () => {
    const started = Date.now();
    const webhookUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/fuzz`;
    const prepared = await prepare(webhookUrl, pool);
    console.log(
      `    fixtures ready after ${String(Math.round((Date.now() - started) / 1000))} s; seed ${String(SEED)}`,
    );
    // Four processes, each its own interpreter (generating cases costs schemathesis 50-75 ms of CPU
    // each, one thread at a time per interpreter): MarketA's item-level operations and the rest, each
    // fuzzed by six threads, which hide the answer times of the writes that wait for their commit;
    // MarketA's stateful scenarios, which run one step after another, beside them; Oversight's
    // operations, fuzzed then stateful.
    const tokens = path.join(dir, 'tokens.json');
    const stopRenewing = await renewTokens(tokens, [...MARKETA_CALLERS, ...OVERSIGHT_CALLER_NAMES]);
    const operations = documentedOperations();
    const itemLevel = operations.filter((id) => ITEM_LEVEL.test(documentedPaths[id] ?? ''));
    const marketA = (name: string) =>
      writePlan(dir, name, CALLERS, MARKETA_CALLERS, tokens, prepared, webhookUrl);
    const common = { caFile: gatewayTlsCaFile, seed: SEED, workDir: dir, guardSeconds: GUARD_SECONDS };
    const slices: (Omit<SchemathesisRun, keyof typeof common> & { name: string; callsFile: string })[] = [
      {
        ...marketA('marketa-items'),
        baseUrl: gatewayUrlOf('MarketA'),
        phases: ['fuzzing'],
        operationIds: itemLevel,
        maxExamples: EXAMPLES_PER_OPERATION,
        workers: 6,
      },
      {
        ...marketA('marketa-escrows'),
        baseUrl: gatewayUrlOf('MarketA'),
        phases: ['fuzzing'],
        operationIds: operations.filter((id) => !itemLevel.includes(id)),
        maxExamples: EXAMPLES_PER_OPERATION,
        workers: 6,
      },
      {
        ...marketA('marketa-stateful'),
        baseUrl: gatewayUrlOf('MarketA'),
        phases: ['stateful'],
        maxExamples: STATEFUL_SCENARIOS,
        workers: 1,
      },
      {
        ...writePlan(
          dir,
          'oversight',
          OVERSIGHT_CALLERS,
          OVERSIGHT_CALLER_NAMES,
          tokens,
          prepared,
          webhookUrl,
        ),
        baseUrl: gatewayUrlOf('Oversight'),
        phases: ['fuzzing', 'stateful'],
        operationIds: OVERSIGHT_OPERATIONS,
        maxExamples: EXAMPLES_PER_OPERATION,
        workers: 3,
      },
    ];
    const runs = await Promise.all(slices.map((slice) => runSchemathesis({ ...common, ...slice }))).finally(
      stopRenewing,
    );
    const logs = slices.map(({ callsFile: file }) =>
      fs.existsSync(file) ? parseCallLog(fs.readFileSync(file, 'utf8')) : [],
    );
    const report = fuzzReport(logs.flat(), operations);
    // One line per run from schemathesis's own summary, then the per-operation table; a run's whole
    // output is shown only when it failed, with the assertion below.
    slices.forEach(({ name }, index) => {
      console.log(`    ${schemathesisRunLine(name, runs[index]?.output ?? '')}`);
    });
    console.log(formatFuzzReport(report));
    console.log(formatFuzzTiming(fuzzTiming(logs)));
    console.log(`    fuzzing took ${String(Math.round((Date.now() - started) / 1000))} s in all`);
    for (const run of runs) expect(run.exitCode, run.output.slice(-12_000)).to.equal(0);
    expect(report.serverErrors).to.equal(0);
    expect(report.requests).to.be.at.least(REQUIRED_REQUESTS);
    const unexplained = report.neverSucceeded.filter((operation) => !(operation in NO_SUCCESS_EXPECTED));
    expect(unexplained, 'operations never answered 2xx').to.deep.equal([]);
  });
});
