// `operator payments reconcile` against the live ledger and stripe-mock. stripe-mock keeps no state:
// its listings always return the same fixtures (created 2009-02-13), never what the tests paid. So
// what runs here is the command end to end on real answers: a quiet period is clean, stripe-mock's
// fixture refund and transfer are money the ledger does not know, and a settlement the worker just
// recorded is one the (stateless) provider does not list. A clean match of real movements is proven
// by the unit tests of the comparison.
import { TRANSACTIONS } from '@p2p-escrow/chaincode';
import {
  ensureStripeMock,
  eventually,
  spawnSettlementWorker,
  fabricSuite,
  runOperatorCommand,
  SAME_MARKET_B,
  Trade,
  type StripeMockSession,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { paymentProviderFromEnvironment } from '../index';

interface JsonDifference {
  readonly code: string;
  readonly kind: string;
  readonly providerId: string;
  readonly escrowId?: string;
  readonly amountMinor?: string;
}

function reconcileArgs(from: string, to: string, json = true): string[] {
  return [
    'payments',
    'reconcile',
    '--org',
    'MarketB',
    '--from',
    from,
    '--to',
    to,
    ...(json ? ['--json'] : []),
  ];
}

describe('provider reconciliation on the live ledger and stripe-mock', function () {
  this.timeout(300_000);
  const pool = fabricSuite();
  let stripeMock: StripeMockSession;

  before(async () => {
    stripeMock = await ensureStripeMock();
  });
  after(async () => {
    await stripeMock.release();
  });

  it('is clean over a period in which neither side moved money, and exits 0', async () => {
    const run = await runOperatorCommand(
      reconcileArgs('2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z', false),
    );
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^MarketB 2020-01-01T00:00:00.000Z .. 2020-01-02T00:00:00.000Z: .* clean\n$/);
  });

  it("reports the provider's refund and transfer that the ledger does not hold, and exits 3", async () => {
    const run = await runOperatorCommand(reconcileArgs('2009-02-13T00:00:00Z', '2009-02-14T00:00:00Z'));
    expect(run.code).to.equal(3);
    expect(run.stderr.trim().split('\n')).to.deep.equal([
      'error: MarketB: the provider and the ledger differ (see the report)',
    ]);
    const report = JSON.parse(run.stdout) as { clean: boolean; differences: JsonDifference[] };
    expect(report.clean).to.equal(false);
    expect(report.differences.map(({ code, kind }) => [code, kind])).to.deep.equal([
      ['PAID_NOT_ON_LEDGER', 'refund'],
      ['PAID_NOT_ON_LEDGER', 'transfer'],
    ]);
  });

  it('reports a settlement on the ledger that the provider does not list', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const trade = new Trade(pool, SAME_MARKET_B, 'reconcile');
    const provider = paymentProviderFromEnvironment(stripeMock.env, 'reconcile-test');
    const payment = await provider.createPayment({
      escrowId: trade.escrowId,
      amountMinor: BigInt(trade.amount),
      currency: trade.currency,
      marketplace: 'MarketB',
      buyer: trade.parties.buyer,
    });
    await trade.create();
    await trade.step(trade.parties.payments, TRANSACTIONS.fundEscrow, [
      trade.escrowId,
      trade.amount,
      trade.currency,
      payment.paymentId,
    ]);
    // After funding, the seller may cancel: a full refund to the buyer.
    await trade.step(trade.parties.seller, TRANSACTIONS.cancelEscrow, [trade.escrowId]);
    const refund = await eventually(
      'the refund recorded by the settlement worker',
      async () => (await trade.read()).settlements.buyer ?? undefined,
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const to = new Date(Date.now() + 60_000).toISOString();
    const run = await runOperatorCommand(reconcileArgs(from, to));
    expect(run.code).to.equal(3);
    const report = JSON.parse(run.stdout) as { differences: JsonDifference[] };
    const ours = report.differences.filter((difference) => difference.escrowId === trade.escrowId);
    expect(
      ours.map(({ code, kind, providerId, amountMinor }) => ({ code, kind, providerId, amountMinor })),
    ).to.deep.equal([
      {
        code: 'ON_LEDGER_NOT_PAID',
        kind: 'payment',
        providerId: payment.paymentId,
        amountMinor: trade.amount,
      },
      {
        code: 'ON_LEDGER_NOT_PAID',
        kind: 'refund',
        providerId: refund.providerRef,
        amountMinor: trade.amount,
      },
    ]);
  });

  it("sets the drift metric from the worker's scheduled run", async () => {
    const opsPort = await freePort();
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'settle-reconcile-')), 'worker.log');
    // A worker of its own (own group and ops port), reconciling every half second back to 2009, so its
    // period holds stripe-mock's fixtures: a refund and a transfer the ledger does not know.
    const worker = spawnSettlementWorker(
      'MarketB',
      {
        P2P_OPS_PORT: String(opsPort),
        P2P_SETTLEMENT_GROUP_ID: 'settlement-marketb-reconcile-test',
        P2P_SETTLEMENT_RECONCILE_INTERVAL_MS: '500',
        P2P_SETTLEMENT_RECONCILE_LOOKBACK_MS: String(Date.now() - Date.parse('2009-02-13T00:00:00Z')),
      },
      logFile,
    );
    try {
      const metrics = await eventually(
        'a completed scheduled reconciliation',
        async () => {
          const text = await fetch(`http://127.0.0.1:${String(opsPort)}/metrics`).then(
            async (response) => response.text(),
            () => '',
          );
          return /^payments_reconciliation_last_run_timestamp_seconds [1-9]/m.test(text) ? text : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      expect(metrics).to.match(/^payments_reconciliation_differences\{code="PAID_NOT_ON_LEDGER"\} 2$/m);
    } finally {
      worker.kill('SIGTERM');
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}
