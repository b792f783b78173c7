// The authorization matrix walked through the gateways: every operation × caller of
// testkit's accessMatrix, each caller with its real token at its own org's gateway, on escrows
// prepared in the state the operation needs. Refusals share one escrow per state (they must leave it
// as it was); each allowed write gets an escrow of its own, since it moves it on.
import { expect } from 'chai';
import {
  as,
  createRequest,
  eventually,
  fabricSuite,
  GATEWAY_ACTORS,
  GATEWAY_MATRIX,
  inBatches,
  createdByMarketA,
  isEscrowSetup,
  matrixEscrow,
  refusalOfCell,
  uniqueEscrowId,
  type ApiResponse,
  type Caller,
  type EscrowKind,
  type EscrowSetup,
  type GatewayActor,
  type GatewayOperation,
  tokenOf,
  type Trade,
} from '@p2p-escrow/testkit';

const DAY_MS = 86_400_000;

/** The request body each operation is walked with: valid, so a refusal is about who asks. */
function bodyOf(operationId: string, actor: GatewayActor, context: WalkContext): unknown {
  switch (operationId) {
    case 'createEscrow':
      return createRequest(
        uniqueEscrowId('matrix-create', 'e2e'),
        GATEWAY_ACTORS[actor].escrow === 'oneMarketplace'
          ? { seller: { marketplace: 'MarketA', userId: 'amir' } }
          : {},
      );
    case 'shipEscrow':
      return { carrier: 'DHL', trackingRef: 'MATRIX1' };
    case 'disputeEscrow':
      return { reason: 'not as described', evidenceHashes: [] };
    case 'resolveDispute':
      return { buyerRefund: '0' };
    case 'clearRiskFlag':
      return { reason: 'matrix walk' };
    case 'extendShipBy':
      return { shipBy: new Date(Date.now() + 10 * DAY_MS).toISOString() };
    case 'offerSettlement':
      return { buyerRefund: '100' };
    case 'recordSettlement':
      return { payee: 'seller', providerRef: `payout-matrix-${actor}` };
    case 'postReview':
      return { rating: 5, textHash: 'c'.repeat(64) };
    case 'createWebhook':
      return { url: 'https://127.0.0.1:9/matrix', maxAttempts: 1 };
    case 'redeliverWebhook':
      return { eventId: context.eventId };
    case 'proposeTerms':
      return { shipBy: new Date(Date.now() + 10 * DAY_MS).toISOString() };
    case 'shipItem':
    case 'shipReturn':
      return { carrier: 'DHL', trackingRef: 'MATRIX2' };
    case 'disputeItem':
    case 'disputeReturn':
      return { reason: 'not as described', evidenceHashes: [] };
    case 'resolveItem':
      return { buyerRefund: '0' };
    case 'rejectItem':
      return { reason: 'wrong size' };
    case 'provideReturnAddress':
      return { address: '9 Matrix Rd, Lyon' };
    case 'offerItemSettlement':
      return { buyerRefund: '100' };
    default:
      return {};
  }
}

interface WalkContext {
  /** One escrow per (kind, state) for the refusals, and a fresh one per allowed write. */
  shared: Map<string, Trade>;
  fresh: Map<string, Trade>;
  eventId: string;
  /** An event of the escrow MarketB has no part in, asked about by the third marketplace's callers. */
  oneMarketplaceEventId: string;
  transactionId: string;
  webhookId: string;
}

const sharedKey = (kind: EscrowKind, setup: EscrowSetup) => `${kind}/${setup}`;
const freshKey = (operationId: string, actor: GatewayActor) => `${operationId}/${actor}`;

/** An allowed POST on an escrow moves it on: it gets its own escrow. */
function movesEscrow(operation: GatewayOperation): boolean {
  return (
    operation.method === 'POST' &&
    operation.path.startsWith('/v1/escrows/{escrowId}/') &&
    operation.operationId !== 'createPayment'
  );
}

function pathOf(operation: GatewayOperation, actor: GatewayActor, context: WalkContext): string {
  const kind = GATEWAY_ACTORS[actor].escrow;
  const escrowTrade =
    operation.cells[actor] === 'ok' && movesEscrow(operation)
      ? context.fresh.get(freshKey(operation.operationId, actor))
      : isEscrowSetup(operation.setup)
        ? context.shared.get(sharedKey(kind, operation.setup))
        : context.shared.get(sharedKey(kind, 'created'));
  return operation.path
    .replace('{escrowId}', escrowTrade?.escrowId ?? 'missing')
    .replace('{item}', '0')
    .replace('{marketplace}', 'MarketA')
    .replace('{userId}', 'alice')
    .replace('{partyId}', 'MarketA:alice')
    .replace('{rule}', 'matrix.hold')
    .replace('{txId}', context.transactionId)
    .replace('{eventId}', kind === 'oneMarketplace' ? context.oneMarketplaceEventId : context.eventId)
    .replace('{webhookId}', context.webhookId);
}

/** Where the response differs from the cell, in words; undefined when it matches. */
function mismatch(expected: string, response: ApiResponse): string | undefined {
  const refusal = refusalOfCell(expected as GatewayOperation['cells'][GatewayActor]);
  if (refusal === undefined)
    return response.status >= 200 && response.status < 300
      ? undefined
      : `expected ok, got ${String(response.status)} ${String(response.body['code'])}`;
  const got = `${String(response.status)} ${String(response.body['code'])}`;
  if (got !== expected) return `expected ${expected}, got ${got}`;
  if (!/^application\/problem\+json/.test(response.headers.get('content-type') ?? ''))
    return 'refusal is not problem+json';
  return undefined;
}

describe('gateway e2e: the authorization matrix', function () {
  this.timeout(300_000);
  const pool = fabricSuite();
  const context: WalkContext = {
    shared: new Map(),
    fresh: new Map(),
    eventId: '',
    oneMarketplaceEventId: '',
    transactionId: '',
    webhookId: '',
  };
  const webhooksMade: { caller: Caller; id: string }[] = [];
  let startedAt = 0;
  let preparedAt = 0;

  before(async function () {
    // About sixty escrows, most walked five to nine steps (the item rows need their items moved on).
    this.timeout(480_000);
    startedAt = Date.now();
    const tasks: (() => Promise<void>)[] = [];
    const setups = new Set(GATEWAY_MATRIX.map((operation) => operation.setup).filter(isEscrowSetup));
    setups.add('created');
    for (const setup of setups)
      tasks.push(async () => {
        context.shared.set(
          sharedKey('crossMarketplace', setup),
          await matrixEscrow(pool, 'crossMarketplace', setup),
        );
      });
    // A third marketplace is refused before any state matters: one escrow of MarketA alone serves all.
    const oneMarketplace = matrixEscrow(pool, 'oneMarketplace', 'created');
    for (const operation of GATEWAY_MATRIX.filter(movesEscrow))
      for (const [actor, cell] of Object.entries(operation.cells) as [GatewayActor, string][])
        if (cell === 'ok' && isEscrowSetup(operation.setup)) {
          const setup = operation.setup;
          tasks.push(async () => {
            context.fresh.set(
              freshKey(operation.operationId, actor),
              await matrixEscrow(pool, 'crossMarketplace', setup),
            );
          });
        }
    await inBatches(tasks, 10);
    const one = await oneMarketplace;
    for (const setup of setups) context.shared.set(sharedKey('oneMarketplace', setup), one);
    // Every peer has every prepared escrow before any gateway reads one.
    const newest = [...context.shared.values(), ...context.fresh.values()].reduce(
      (max, trade) => (trade.lastBlock > max ? trade.lastBlock : max),
      0n,
    );
    await pool.caughtUp(['MarketA', 'MarketB', 'Oversight'], newest);

    const created = await createdByMarketA('matrix-tx');
    context.transactionId = String(created.body['transactionId']);

    // An event of the shared escrow, once every org's projection that may show it holds it.
    const escrowId = context.shared.get(sharedKey('crossMarketplace', 'created'))?.escrowId ?? '';
    context.eventId = await eventually(
      'an event of the shared escrow',
      async () => {
        const listed = await as('oscar', 'GET', `/v1/events?escrowId=${escrowId}`);
        const records = (listed.body['records'] as { eventId?: string }[] | undefined) ?? [];
        return records[0]?.eventId;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const oneMarketplaceEscrowId = context.shared.get(sharedKey('oneMarketplace', 'created'))?.escrowId ?? '';
    context.oneMarketplaceEventId = await eventually(
      'an event of the escrow MarketB has no part in',
      async () => {
        const listed = await as('oscar', 'GET', `/v1/events?escrowId=${oneMarketplaceEscrowId}`);
        const records = (listed.body['records'] as { eventId?: string }[] | undefined) ?? [];
        return records[0]?.eventId;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await eventually(
      "MarketA's projection holding the event of its own marketplace's escrow",
      async () =>
        (await as('marketa-backend', 'GET', `/v1/events/${context.oneMarketplaceEventId}`)).status === 200
          ? true
          : undefined,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    for (const caller of ['marketa-backend', 'marketb-backend', 'alice', 'bea'] as const)
      await eventually(
        `${caller}'s projection holding the event`,
        async () =>
          (await as(caller, 'GET', `/v1/events/${context.eventId}`)).status === 200 ? true : undefined,
        { timeoutMs: 60_000, intervalMs: 500 },
      );

    const webhook = await as(
      'marketa-backend',
      'POST',
      '/v1/webhooks',
      bodyOf('createWebhook', 'buyerMarketplace', context),
    );
    expect(webhook.status, webhook.text).to.equal(201);
    context.webhookId = String(webhook.body['id']);

    // One login per caller before the parallel calls (a realm accepts each TOTP code once).
    for (const actor of Object.values(GATEWAY_ACTORS)) await tokenOf(actor.caller);
    preparedAt = Date.now();
  });

  after(async () => {
    for (const made of webhooksMade) await as(made.caller, 'DELETE', `/v1/webhooks/${made.id}`);
  });

  for (const operation of GATEWAY_MATRIX) {
    it(`${operation.method} ${operation.path} (${operation.operationId})`, async () => {
      const cells = Object.entries(operation.cells) as [GatewayActor, string][];
      const wrong: string[] = [];
      const check = async ([actor, cell]: [GatewayActor, string]): Promise<void> => {
        const caller = GATEWAY_ACTORS[actor].caller as Caller;
        const response = await as(
          caller,
          operation.method,
          pathOf(operation, actor, context),
          operation.method === 'POST' ? bodyOf(operation.operationId, actor, context) : undefined,
        );
        if (operation.operationId === 'createWebhook' && response.status === 201)
          webhooksMade.push({ caller, id: String(response.body['id']) });
        const problem = mismatch(cell, response);
        if (problem !== undefined) wrong.push(`${actor} (${caller}): ${problem}`);
      };
      // The refusals at once, on the shared escrow (or webhook); then the allowed calls at once, each
      // on its own escrow when it moves one on, so a deletion comes after every refusal.
      await Promise.all(cells.filter(([, cell]) => cell !== 'ok').map(check));
      await Promise.all(cells.filter(([, cell]) => cell === 'ok').map(check));
      expect(wrong, wrong.join('\n')).to.deep.equal([]);
    });
  }

  it('leaves every escrow the refusals were walked on as it was', async () => {
    for (const trade of new Set(context.shared.values())) {
      const escrow = await trade.read();
      expect(escrow.state, trade.escrowId).to.equal(trade.lastEscrow?.state);
      expect(escrow.updatedAt, trade.escrowId).to.equal(trade.lastEscrow?.updatedAt);
    }
  });

  it('covers every operation of the served API document', async () => {
    const document = await as('oscar', 'GET', '/openapi.json');
    const paths = document.body['paths'] as Record<string, Record<string, { operationId?: string }>>;
    const served = Object.values(paths).flatMap((methods) =>
      Object.values(methods).flatMap((operation) =>
        operation.operationId === undefined ? [] : [operation.operationId],
      ),
    );
    expect(GATEWAY_MATRIX.map((operation) => operation.operationId)).to.have.members(served);
    const walkedMs = Date.now() - preparedAt;
    console.log(
      `      matrix: ${String(GATEWAY_MATRIX.length)} operations, prepared in ${String(preparedAt - startedAt)} ms, walked in ${String(walkedMs)} ms`,
    );
  });
});
