// Schema-driven fuzzing of the gateway: schemathesis reads the served /openapi.json and sends what it
// generates from it (documented examples, boundary values, random and invalid data, and stateful
// sequences along the document's links: create, then act on what was created) with real tokens of a
// marketplace backend, a buyer, a seller, an arbiter and an auditor. Passing means no 5xx, every
// response as documented (status, content type, schema), every refusal problem+json with a stable
// code, and every operation of the document answered 2xx at least once. Seeded (FUZZ_SEED replays
// another seed) and bounded in examples and in time.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { as, gatewayTlsCaFile, gatewayUrlOf, tokenOf, type Caller } from '@p2p-escrow/testkit';
import { loadOpenApi } from '../openapi/apiDocs';
import { escrowAt } from './fuzzFixtures';
import { formatFuzzReport, fuzzReport, parseCallLog } from './fuzzReport';
import { runSchemathesis, type SchemathesisRun } from './schemathesisRun';

const SEED = Number(process.env['FUZZ_SEED'] ?? '17');
const REQUIRED_REQUESTS = 2_000;

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
};
/** What the arbiter and the auditor do at Oversight's gateway (their realm's; MarketA's refuses them). */
const OVERSIGHT_OPERATIONS = [
  'resolveDispute',
  'getEscrow',
  'getEscrowHistory',
  'listEscrows',
  'getReputation',
  'getTransaction',
];
const OVERSIGHT_CALLERS: Readonly<Record<string, readonly Caller[]>> = {
  resolveDispute: ['olivia'],
  getEscrow: ['oscar'],
  getEscrowHistory: ['oscar'],
  listEscrows: ['oscar'],
  getReputation: ['oscar'],
  getTransaction: ['oscar'],
};
const MARKETA_CALLERS: readonly Caller[] = ['marketa-backend', 'alice', 'amir'];
const OVERSIGHT_CALLER_NAMES: readonly Caller[] = ['olivia', 'oscar'];

function documentedOperations(): string[] {
  const paths = loadOpenApi()['paths'] as Record<string, Record<string, { operationId?: string }>>;
  return Object.values(paths).flatMap((operations) =>
    Object.values(operations).flatMap((operation) =>
      typeof operation.operationId === 'string' ? [operation.operationId] : [],
    ),
  );
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
 * An escrow walked to `stage`, or none when the walk failed: the run goes on, and the operations that
 * needed it show up in the report without a 2xx.
 */
async function fixture(...walk: Parameters<typeof escrowAt>): Promise<string[]> {
  try {
    return [await escrowAt(...walk)];
  } catch (error) {
    console.log(`    ${String(error)}`);
    return [];
  }
}

interface Prepared {
  readonly pathValues: Record<string, Record<string, string[]>>;
  readonly bodyValues: Record<string, Record<string, unknown[]>>;
}

/** Escrows in the state each operation needs, and the ids and bodies that make a request succeed. */
async function prepare(webhookUrl: string): Promise<Prepared> {
  const day = 86_400_000;
  const later = (ms: number) => new Date(Date.now() + ms).toISOString();
  const [proposedA, proposedD, createdC, createdP, funded, late, shipped, deliveredR, deliveredD] =
    await Promise.all([
      fixture('proposed'),
      fixture('proposed'),
      fixture('created'),
      fixture('created'),
      fixture('funded'),
      // Its ship-by passes during the run, so the buyer may claim the refund.
      fixture('funded', { shipInMs: 45_000 }),
      fixture('shipped'),
      fixture('delivered'),
      fixture('delivered'),
    ]);
  const [disputedO, disputedR, offeredA, offeredD, released] = await Promise.all([
    fixture('disputed'),
    fixture('disputed'),
    fixture('offered'),
    fixture('offered'),
    fixture('released'),
  ]);
  const webhook = await as('marketa-backend', 'POST', '/v1/webhooks', { url: webhookUrl });
  const spare = await as('marketa-backend', 'POST', '/v1/webhooks', { url: webhookUrl });
  const events = await as('marketa-backend', 'GET', `/v1/events?escrowId=${released[0] ?? 'none'}`);
  const history = await as('marketa-backend', 'GET', `/v1/escrows/${released[0] ?? 'none'}/history`);
  const eventIds = ((events.body['items'] ?? []) as { eventId: string }[]).map((event) => event.eventId);
  const txIds = ((history.body['entries'] ?? []) as { txId: string }[]).map((entry) => entry.txId);
  const webhookIds = [String(webhook.body['id'])];
  const every = [...released, ...shipped, ...funded];
  return {
    pathValues: {
      getEscrow: { escrowId: every },
      getEscrowHistory: { escrowId: every },
      getPrivateDetails: { escrowId: [...released, ...funded] },
      acceptEscrow: { escrowId: proposedA },
      declineEscrow: { escrowId: proposedD },
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
      recordSettlement: { escrowId: released },
      postReview: { escrowId: released },
      erasePrivateDetails: { escrowId: released },
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
        fundBy: [later(day)],
        shipBy: [later(7 * day)],
        acceptBy: [later(day / 2)],
      },
      extendShipBy: { shipBy: [later(30 * day)] },
      offerSettlement: { buyerRefund: ['1000'], expiresAt: [later(day)] },
      resolveDispute: { buyerRefund: ['1000'] },
      recordSettlement: { payee: ['seller', 'buyer'] },
      redeliverWebhook: { eventId: eventIds },
    },
  };
}

function writePlan(
  dir: string,
  name: string,
  callers: Readonly<Record<string, readonly Caller[]>>,
  everyCaller: readonly Caller[],
  tokens: Record<string, string>,
  prepared: Prepared,
  webhookUrl: string,
) {
  const callsFile = path.join(dir, `${name}.calls.jsonl`);
  const planFile = path.join(dir, `${name}.plan.json`);
  const plan = { seed: SEED, callsFile, callers, everyCaller, tokens, ...prepared, webhookUrl };
  fs.writeFileSync(planFile, JSON.stringify(plan), { mode: 0o600 });
  return { planFile, callsFile };
}

describe('gateway e2e: schema-driven fuzzing of the whole API (schemathesis)', function () {
  this.timeout(240_000);
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
    const callers = [...MARKETA_CALLERS, ...OVERSIGHT_CALLER_NAMES];
    const tokens = Object.fromEntries(
      await Promise.all(callers.map(async (caller) => [caller, await tokenOf(caller)] as const)),
    );
    const prepared = await prepare(webhookUrl);
    console.log(
      `    fixtures ready after ${String(Math.round((Date.now() - started) / 1000))} s; seed ${String(SEED)}`,
    );
    const marketA = writePlan(dir, 'marketa', CALLERS, MARKETA_CALLERS, tokens, prepared, webhookUrl);
    const oversight = writePlan(
      dir,
      'oversight',
      OVERSIGHT_CALLERS,
      OVERSIGHT_CALLER_NAMES,
      tokens,
      prepared,
      webhookUrl,
    );
    const common: Omit<SchemathesisRun, 'baseUrl' | 'planFile'> = {
      caFile: gatewayTlsCaFile,
      seed: SEED,
      maxTimeSeconds: 80,
      maxExamples: 60,
      workers: 4,
      workDir: dir,
    };
    const runs = await Promise.all([
      runSchemathesis({ ...common, baseUrl: gatewayUrlOf('MarketA'), planFile: marketA.planFile }),
      runSchemathesis({
        ...common,
        baseUrl: gatewayUrlOf('Oversight'),
        planFile: oversight.planFile,
        operationIds: OVERSIGHT_OPERATIONS,
        maxTimeSeconds: 40,
        workers: 2,
      }),
    ]);
    const calls = [marketA.callsFile, oversight.callsFile].flatMap((file) =>
      fs.existsSync(file) ? parseCallLog(fs.readFileSync(file, 'utf8')) : [],
    );
    const report = fuzzReport(calls, documentedOperations());
    console.log(formatFuzzReport(report));
    console.log(`    fuzzing took ${String(Math.round((Date.now() - started) / 1000))} s in all`);
    for (const run of runs) expect(run.exitCode, run.output.slice(-12_000)).to.equal(0);
    expect(report.serverErrors).to.equal(0);
    expect(report.requests).to.be.at.least(REQUIRED_REQUESTS);
    expect(report.neverSucceeded, 'operations never answered 2xx').to.deep.equal([]);
  });
});
