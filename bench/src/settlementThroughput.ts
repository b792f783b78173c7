// The settlement worker's throughput: N same-marketplace escrows (MarketB) funded with a provider
// payment id and cancelled by their seller (a full refund owed each) while MarketB's worker is
// stopped, then the worker is started and drains them. Settlements per second are taken from the
// ledger's own record times (first to last recordSettlement), so the worker's start and its Kafka
// group join are not counted. The ceiling beside it, measured in the same run, is the same identity
// submitting recordSettlement-sized work straight to the peer: N sequential readEscrow + commit of a
// `putMarker`, i.e. what one sequential consumer could reach if the provider and Kafka cost nothing.
//   node bench/dist/settlementThroughput.js [N=20]   → bench/reports/settlement-<timestamp>.{json,md}
import { TRANSACTIONS, type Escrow } from '@p2p-escrow/chaincode';
import {
  eventually,
  GatewayPool,
  requireRunningNetwork,
  SAME_MARKET_B,
  startSettlementWorker,
  stopSettlementWorker,
  Trade,
} from '@p2p-escrow/testkit';
import * as crypto from 'node:crypto';
import { runScript, writeReport } from './reportFiles';

const MARKETPLACE = 'MarketB';
/** Trades prepared at once (each is four sequential commits). */
const PREPARE_CONCURRENCY = 5;

function log(line: string): void {
  console.log(`[settlement bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** Proposed, accepted, funded with a provider payment id, cancelled by the seller: a refund is owed. */
async function refundOwed(pool: GatewayPool, index: number): Promise<Trade> {
  const trade = new Trade(pool, SAME_MARKET_B, `bench-settle-${String(index)}`);
  await trade.create();
  const paymentId = `pi_bench${crypto.randomBytes(8).toString('hex')}`;
  await trade.step(trade.parties.payments, TRANSACTIONS.fundEscrow, [
    trade.escrowId,
    trade.amount,
    trade.currency,
    paymentId,
  ]);
  await trade.step(trade.parties.seller, TRANSACTIONS.cancelEscrow, [trade.escrowId]);
  return trade;
}

async function prepare(pool: GatewayPool, count: number): Promise<Trade[]> {
  const trades: Trade[] = [];
  for (let start = 0; start < count; start += PREPARE_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(PREPARE_CONCURRENCY, count - start) }, (_, i) =>
      refundOwed(pool, start + i),
    );
    trades.push(...(await Promise.all(batch)));
  }
  return trades;
}

/** Sequential readEscrow + putMarker commits as MarketB's payments identity: the ledger's share alone. */
async function ledgerCeiling(pool: GatewayPool, trades: readonly Trade[]): Promise<number> {
  const gateway = pool.of('marketb-payments');
  const contract = gateway.getNetwork('marketplace').getContract('escrow');
  const started = performance.now();
  for (const [index, trade] of trades.entries()) {
    await contract.evaluateTransaction(TRANSACTIONS.readEscrow, trade.escrowId);
    await contract.submitTransaction(
      TRANSACTIONS.putMarker,
      `bench-settle-ceiling-${String(index)}-${trade.escrowId}`,
      'x',
    );
  }
  return trades.length / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 20);
  if (!Number.isInteger(count) || count < 2 || count > 500)
    throw new Error('N must be an integer from 2 to 500');
  await requireRunningNetwork();
  const pool = new GatewayPool();
  try {
    await stopSettlementWorker(MARKETPLACE);
    log(`${MARKETPLACE}'s worker stopped; preparing ${String(count)} escrows that each owe a refund`);
    const prepared = performance.now();
    const trades = await prepare(pool, count);
    log(`prepared in ${((performance.now() - prepared) / 1000).toFixed(1)} s; starting the worker`);
    const started = Date.now();
    await startSettlementWorker(MARKETPLACE);
    const settled: Escrow[] = [];
    for (const trade of trades)
      settled.push(
        await eventually(
          `the refund of ${trade.escrowId}`,
          async () => {
            const escrow = await trade.read();
            return escrow.settlements.buyer === null ? undefined : escrow;
          },
          { timeoutMs: 600_000, intervalMs: 250 },
        ),
      );
    const recorded = settled
      .map((escrow) => Date.parse(escrow.settlements.buyer?.recordedAt ?? ''))
      .sort((a, b) => a - b);
    const first = recorded[0] ?? 0;
    const last = recorded[recorded.length - 1] ?? 0;
    const throughput = (count - 1) / Math.max((last - first) / 1000, 0.001);
    const drainSeconds = (last - started) / 1000;
    const ceiling = await ledgerCeiling(pool, trades);
    const report = {
      marketplace: MARKETPLACE,
      escrows: count,
      settlementsPerSecond: Number(throughput.toFixed(2)),
      firstToLastRecordSeconds: Number(((last - first) / 1000).toFixed(2)),
      workerStartToLastRecordSeconds: Number(drainSeconds.toFixed(2)),
      ceilingReadAndCommitPerSecond: Number(ceiling.toFixed(2)),
    };
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    writeReport(
      `settlement-${stamp}`,
      report,
      [
        `# Settlement worker throughput (${stamp})`,
        '',
        '| escrows | settlements/s (first → last record) | worker start → last record | ceiling: sequential read + commit/s |',
        '| --- | --- | --- | --- |',
        `| ${String(count)} | ${report.settlementsPerSecond.toString()} | ${report.workerStartToLastRecordSeconds.toString()} s | ${report.ceilingReadAndCommitPerSecond.toString()} |`,
        '',
      ].join('\n'),
    );
    log(JSON.stringify(report));
  } finally {
    await startSettlementWorker(MARKETPLACE);
    pool.closeAll();
  }
}

runScript(main);
