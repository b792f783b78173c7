// The settlement workers of the running stack against the live network, Kafka and stripe-mock: a
// terminal escrow their marketplace collected through the provider is paid out and refunded, and
// each movement is recorded on the ledger with the provider's object id, once, even across a worker
// killed between the provider's call and the ledger's record; an escrow moving per item is paid item
// by item as each ends, and the seller's marketplace's gateway shows each item's movements on the
// escrow's payout view (which another marketplace may not read).
import { TRANSACTIONS, type Escrow, type HistoryEntry } from '@p2p-escrow/chaincode';
import {
  as,
  CROSS_MARKET,
  ensureStripeMock,
  escrowDatabaseAs,
  eventually,
  fabricSuite,
  runOperatorCommand,
  SAME_MARKET_B,
  settlementLogFile,
  settlementLogLines,
  settlementOpsUrl,
  spawnSettlementWorker,
  startSettlementWorker,
  stopSettlementWorker,
  Trade,
  verifyThroughProvider,
  type StripeMockSession,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { paymentProviderFromEnvironment } from '../index';
import { idempotencyKeyOf } from '../port/idempotencyKey';
import { verificationDelivery } from '../stripe/stripeTestDeliveries';

const MARKETPLACE = 'MarketB';
const SELLER_ACCOUNT = 'acct_1SellerBeaLive';

/** Proposed, accepted and funded through a real provider payment (a PaymentIntent of stripe-mock). */
async function fundedThroughProvider(
  trade: Trade,
  stripeMock: StripeMockSession,
  marketplace = MARKETPLACE,
): Promise<string> {
  const provider = paymentProviderFromEnvironment(stripeMock.env, 'settlement-test');
  const payment = await provider.createPayment({
    escrowId: trade.escrowId,
    amountMinor: BigInt(trade.amount),
    currency: trade.currency,
    marketplace,
    buyer: trade.parties.buyer,
  });
  await trade.create();
  await trade.step(trade.parties.payments, TRANSACTIONS.fundEscrow, [
    trade.escrowId,
    trade.amount,
    trade.currency,
    payment.paymentId,
  ]);
  return payment.paymentId;
}

/** The escrow once the ledger records every settlement `payees` are owed. */
function settledOnLedger(trade: Trade, payees: readonly ('buyer' | 'seller')[]): Promise<Escrow> {
  return eventually(
    `the settlements of ${trade.escrowId} on the ledger`,
    async () => {
      const escrow = await trade.read();
      return payees.every((payee) => escrow.settlements[payee] !== null) ? escrow : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
}

/** Each ended item's recorded refund and payout, as the gateway's payout view lists them. */
function recordedItemMovements(escrow: Escrow): Record<string, unknown>[] {
  return (escrow.itemLifecycles ?? []).flatMap((item, index) =>
    (['buyer', 'seller'] as const).flatMap((payee) => {
      const recorded = item.settlements[payee];
      if (recorded === null) return [];
      const kind = payee === 'buyer' ? 'refund' : 'payout';
      const { amount, providerRef, recordedAt } = recorded;
      return [{ item: index, payee, kind, amount, status: 'paid', providerRef, recordedAt }];
    }),
  );
}

/** The log lines of a worker's log about `escrowId` with message `msg`. */
function logged(file: string, escrowId: string, msg: string): Record<string, unknown>[] {
  return settlementLogLines(file).filter((line) => line['escrowId'] === escrowId && line['msg'] === msg);
}

describe('the settlement worker on the live network', function () {
  this.timeout(300_000);
  const pool = fabricSuite();
  let stripeMock: StripeMockSession;

  before(async () => {
    stripeMock = await ensureStripeMock();
    const registered = await runOperatorCommand([
      'payments',
      'payee',
      'register',
      '--org',
      MARKETPLACE,
      SAME_MARKET_B.seller,
      SELLER_ACCOUNT,
    ]);
    expect(registered.code, registered.stderr).to.equal(0);
    // The payout gate is on: the sellers paid here are verified through the provider's real flow.
    await verifyThroughProvider('marketb-backend', SAME_MARKET_B.seller, verificationDelivery);
    await verifyThroughProvider('marketa-backend', 'amir', verificationDelivery);
  });
  after(async () => {
    await stripeMock.release();
  });

  it("transfers a released escrow's seller payout to the seller's account and records the transfer id", async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'settle-release');
    await fundedThroughProvider(trade, stripeMock);
    await trade.ship();
    await trade.confirmDelivery();
    const released = await trade.release();
    const escrow = await settledOnLedger(trade, ['seller']);
    expect(escrow.settlements.seller?.providerRef).to.match(/^tr_/);
    expect(escrow.settlements.seller?.amount).to.equal(released.escrow.sellerPayout);
    expect(escrow.settlements.buyer).to.equal(null);
    // The worker's call carried the payout key of (escrow, seller's account), and stripe-mock echoed it.
    const key = idempotencyKeyOf({ escrowId: trade.escrowId, payee: SELLER_ACCOUNT, kind: 'payout' });
    const moved = logged(settlementLogFile(MARKETPLACE), trade.escrowId, 'provider moved the money');
    expect(moved.map((line) => [line['kind'], line['idempotencyKey'], line['providerId']])).to.deep.equal([
      ['payout', key, escrow.settlements.seller?.providerRef],
    ]);
  });

  it("refunds the buyer's part of a resolved dispute and transfers the seller's", async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'settle-resolve');
    const paymentId = await fundedThroughProvider(trade, stripeMock);
    await trade.ship();
    await trade.dispute('arrived broken');
    const resolved = await trade.resolve('4000');
    const escrow = await settledOnLedger(trade, ['buyer', 'seller']);
    expect(escrow.settlements.buyer).to.deep.include({ amount: '4000' });
    expect(escrow.settlements.buyer?.providerRef).to.match(/^re_/);
    expect(escrow.settlements.seller).to.deep.include({ amount: resolved.escrow.sellerPayout });
    expect(escrow.settlements.seller?.providerRef).to.match(/^tr_/);
    const calls = settlementLogLines(settlementLogFile(MARKETPLACE))
      .map((line) => line['call'] as { path?: string; idempotencyKey?: string } | undefined)
      .filter((call) => call?.idempotencyKey !== undefined);
    const refundKey = idempotencyKeyOf({
      escrowId: trade.escrowId,
      payee: trade.parties.buyer,
      kind: 'refund',
    });
    expect(
      calls.filter((call) => call?.idempotencyKey === refundKey).map((call) => call?.path),
    ).to.deep.equal(['/v1/refunds']);
    expect(paymentId).to.match(/^pi_/);
  });

  it("refunds a cross-marketplace dispute's buyer part and leaves the seller's as an obligation", async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'settle-cross');
    await fundedThroughProvider(trade, stripeMock, 'MarketA');
    await trade.ship();
    await trade.dispute('arrived broken');
    const resolved = await trade.resolve('5000');
    const escrow = await settledOnLedger(trade, ['buyer']);
    expect(escrow.settlements.buyer).to.deep.include({ amount: '5000' });
    expect(escrow.settlements.seller).to.equal(null);
    const owed = await eventually('the obligation in the log of MarketA’s worker', () =>
      settlementLogLines(settlementLogFile('MarketA')).find(
        (line) => line['escrowId'] === trade.escrowId && line['creditor'] === 'MarketB',
      ),
    );
    expect(owed).to.deep.include({
      debtor: 'MarketA',
      amountMinor: resolved.escrow.sellerPayout,
      sellerId: 'bea',
    });
  });

  it('parks a payout to a seller without a payee account as stuck, and pays it once the account is registered', async () => {
    const sameMarketA = {
      buyer: 'alice',
      seller: 'amir',
      backend: 'marketa-backend',
      payments: 'marketa-payments',
    };
    const owner = await escrowDatabaseAs('payments:MarketA');
    try {
      await owner.query('DELETE FROM payments_marketa.payee_accounts WHERE user_id = $1', ['amir']);
    } finally {
      await owner.end();
    }
    const trade = new Trade(pool, sameMarketA, 'settle-stuck');
    await fundedThroughProvider(trade, stripeMock, 'MarketA');
    await trade.ship();
    await trade.confirmDelivery();
    await trade.release();
    const parked = await eventually(
      'the payout parked for want of an account',
      () =>
        settlementLogLines(settlementLogFile('MarketA')).find(
          (line) => line['escrowId'] === trade.escrowId && line['msg'] === 'settlement parked',
        ),
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(parked).to.deep.include({ code: 'SETTLEMENT_PAYEE_ACCOUNT_MISSING' });
    const metrics = await fetch(`${settlementOpsUrl('MarketA')}/metrics`).then(async (response) =>
      response.text(),
    );
    expect(metrics).to.match(/^settlement_parked_escrows [1-9]/m);
    expect(metrics).to.match(/^settlement_parkings_total\{code="SETTLEMENT_PAYEE_ACCOUNT_MISSING"\} [1-9]/m);
    const registered = await runOperatorCommand([
      'payments',
      'payee',
      'register',
      '--org',
      'MarketA',
      'amir',
      'acct_1SellerAmirLive',
    ]);
    expect(registered.code, registered.stderr).to.equal(0);
    const escrow = await settledOnLedger(trade, ['seller']);
    expect(escrow.settlements.seller?.providerRef).to.match(/^tr_/);
  });

  it('pays each item of an escrow moving per item when it ends, the others still open; Σ paid = funded', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'settle-items', '30000');
    trade.terms = {
      items: [
        { description: 'Design', price: '10000' },
        { description: 'Build', price: '15000' },
        { description: 'Handover', price: '5000' },
      ],
    };
    await fundedThroughProvider(trade, stripeMock);
    const { buyer, seller } = trade.parties;
    const onItem = (who: string, transaction: string, item: number, ...rest: string[]) =>
      trade.step(who, transaction, [trade.escrowId, String(item), ...rest]);
    await onItem(seller, TRANSACTIONS.shipItem, 0, 'DHL', 'trk-0');
    await onItem(buyer, TRANSACTIONS.releaseItem, 0);

    // Item 0 is paid on its own while items 1 and 2 are open.
    const first = await eventually(
      `item 0 of ${trade.escrowId} paid`,
      async () => {
        const escrow = await trade.read();
        return escrow.itemLifecycles?.[0]?.settlements.seller === null ? undefined : escrow;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(first.state).to.equal('FUNDED');
    expect(first.itemLifecycles?.map((item) => item.state)).to.deep.equal(['RELEASED', 'FUNDED', 'FUNDED']);
    expect(first.itemLifecycles?.[0]?.settlements.seller).to.deep.include({ amount: '9750' });
    expect(first.itemLifecycles?.[0]?.settlements.seller?.providerRef).to.match(/^tr_/);
    expect(first.settlements).to.deep.equal({ buyer: null, seller: null });
    const itemKey = idempotencyKeyOf({
      escrowId: trade.escrowId,
      payee: SELLER_ACCOUNT,
      kind: 'payout',
      item: 0,
    });
    const moved = logged(settlementLogFile(MARKETPLACE), trade.escrowId, 'provider moved the money');
    expect(moved.map((line) => [line['kind'], line['item'], line['idempotencyKey']])).to.deep.equal([
      ['payout', 0, itemKey],
    ]);
    // The seller's marketplace's gateway shows the item's payout, and the rest of the funding open.
    const payoutPath = `/v1/escrows/${trade.escrowId}/payout`;
    const whileOpen = await as('marketb-backend', 'GET', payoutPath);
    expect(whileOpen.status, whileOpen.text).to.equal(200);
    expect(whileOpen.body).to.deep.include({
      amount: '9750',
      status: 'paid',
      itemSettlements: recordedItemMovements(first),
      totals: { funded: '30000', refunded: '0', paidOut: '9750', owed: '0', fees: '250', open: '20000' },
    });
    // Who may read it is unchanged: another marketplace's party and backend may not.
    for (const outsider of ['alice', 'marketa-backend'] as const) {
      const refused = await as(outsider, 'GET', payoutPath);
      expect(refused.status, refused.text).to.equal(403);
      expect(refused.body['code'], refused.text).to.equal('FORBIDDEN_ACTOR');
    }

    // Item 1 disputed and split by the arbiter, item 2 released: each pays its own split.
    await onItem(seller, TRANSACTIONS.shipItem, 1, 'DHL', 'trk-1');
    await onItem(buyer, TRANSACTIONS.disputeItem, 1, 'arrived broken', '[]');
    await trade.step('olivia', TRANSACTIONS.resolveItem, [trade.escrowId, '1', '6000'], {
      endorsingOrganizations: trade.arbitration,
    });
    // The worker's records of item 1 write the escrow's key: a party's next move sent meanwhile would
    // conflict with them at commit (MVCC), which this direct client does not retry as the gateway does.
    await eventually(
      `item 1 of ${trade.escrowId} paid`,
      async () => {
        const { settlements } = (await trade.read()).itemLifecycles?.[1] ?? {};
        return settlements?.buyer != null && settlements.seller != null ? settlements : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await onItem(seller, TRANSACTIONS.shipItem, 2, 'DHL', 'trk-2');
    await onItem(buyer, TRANSACTIONS.releaseItem, 2);
    const ended = await eventually(
      `every item of ${trade.escrowId} paid`,
      async () => {
        const escrow = await trade.read();
        const items = escrow.itemLifecycles ?? [];
        const owed = items.every(
          (item) =>
            (item.buyerRefund === '0' || item.settlements.buyer !== null) &&
            (item.sellerPayout === '0' || item.settlements.seller !== null),
        );
        return escrow.state === 'RESOLVED' && owed ? escrow : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const items = ended.itemLifecycles ?? [];
    const paid = items
      .flatMap((item) => [item.settlements.buyer, item.settlements.seller])
      .reduce((total, settlement) => total + BigInt(settlement?.amount ?? '0'), 0n);
    const fees = items.reduce((total, item) => total + BigInt(item.fee), 0n);
    expect(paid + fees).to.equal(BigInt(ended.fundedAmount));
    expect(ended.settlements).to.deep.equal({ buyer: null, seller: null });
    expect(items[1]?.settlements.buyer).to.deep.include({ amount: '6000' });
    const view = await as('marketb-backend', 'GET', payoutPath);
    expect(view.status, view.text).to.equal(200);
    const payouts = items.reduce((total, item) => total + BigInt(item.sellerPayout), 0n).toString();
    expect(view.body).to.deep.include({
      amount: payouts,
      status: 'paid',
      itemSettlements: recordedItemMovements(ended),
      totals: {
        funded: ended.fundedAmount,
        refunded: '6000',
        paidOut: payouts,
        owed: '0',
        fees: fees.toString(),
        open: '0',
      },
    });
    expect(
      recordedItemMovements(ended).map((entry) => `${String(entry['kind'])}:${String(entry['item'])}`),
    ).to.deep.equal(['payout:0', 'refund:1', 'payout:1', 'payout:2']);
    // One movement per payee and item, each under its own key: a call the worker repeats (an event
    // handled before the previous record was visible) carries the same key, which a provider answers
    // without moving the money twice (stripe-mock keeps no idempotency, so only the keys are compared).
    const calls = logged(settlementLogFile(MARKETPLACE), trade.escrowId, 'provider moved the money');
    const keys = new Map<string, Set<unknown>>();
    for (const line of calls) {
      const movement = `${String(line['kind'])}:${String(line['item'])}`;
      keys.set(movement, (keys.get(movement) ?? new Set()).add(line['idempotencyKey']));
    }
    expect([...keys.keys()].sort()).to.deep.equal(['payout:0', 'payout:1', 'payout:2', 'refund:1']);
    for (const [movement, used] of keys) expect(used.size, movement).to.equal(1);
    expect(new Set(calls.map((line) => line['idempotencyKey'])).size).to.equal(4);
  });

  it('pays exactly once when the worker is killed between the provider call and the ledger record', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'settle-crash');
    await fundedThroughProvider(trade, stripeMock);
    await trade.ship();
    await trade.confirmDelivery();
    const crashLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'settle-crash-')), 'worker.log');
    await stopSettlementWorker(MARKETPLACE);
    const crashing = spawnSettlementWorker(
      MARKETPLACE,
      { P2P_SETTLEMENT_TEST_CRASH_AFTER_MOVE: '1' },
      crashLog,
    );
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      crashing.once('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    try {
      await trade.release();
      const signal = await Promise.race([
        ended,
        new Promise<never>((_resolve, reject) =>
          setTimeout(() => {
            reject(new Error('the worker was not killed at its crash point'));
          }, 120_000).unref(),
        ),
      ]);
      expect(signal).to.equal('SIGKILL');
    } finally {
      if (crashing.exitCode === null && crashing.signalCode === null) crashing.kill('SIGKILL');
      await startSettlementWorker(MARKETPLACE);
    }
    const key = idempotencyKeyOf({ escrowId: trade.escrowId, payee: SELLER_ACCOUNT, kind: 'payout' });
    const beforeCrash = logged(crashLog, trade.escrowId, 'provider moved the money');
    expect(beforeCrash.map((line) => line['idempotencyKey'])).to.deep.equal([key]);
    expect(logged(crashLog, trade.escrowId, 'settlement recorded')).to.deep.equal([]);

    // The offset was not committed: the restarted worker reads the release again and calls the
    // provider with the same key, which a provider answers without moving the money twice.
    const escrow = await settledOnLedger(trade, ['seller']);
    const afterRestart = logged(settlementLogFile(MARKETPLACE), trade.escrowId, 'provider moved the money');
    expect(afterRestart.map((line) => line['idempotencyKey'])).to.deep.equal([key]);
    expect(escrow.settlements.seller?.providerRef).to.equal(afterRestart[0]?.['providerId']);
    // One version of the escrow records the seller's settlement: the ledger took it once.
    const history = (await trade.history()) as HistoryEntry[];
    const recordings = history.filter(
      (entry, index) =>
        entry.escrow?.settlements.seller !== null && history[index - 1]?.escrow?.settlements.seller === null,
    );
    expect(recordings).to.have.length(1);
  });
});
