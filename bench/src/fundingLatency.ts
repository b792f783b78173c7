// Provider event → on-chain funding under a burst: N accepted escrows, each with its payment opened at
// MarketA's gateway (stripe-mock), then N signed `payment_intent.succeeded` events delivered to
// MarketA's payments service all at once. Each latency runs from the event's delivery to the
// service's answer, which comes once `fund` committed on MarketA's peer. The ceiling of the same run:
// the same burst of `fund` submitted straight to the peer as MarketA's payments identity (no webhook,
// no verification, no ledger read).
// Run: node bench/dist/fundingLatency.js [burst=50]; writes bench/reports/funding-latency.{json,md}.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  as,
  CROSS_MARKET,
  deliverProviderEvent,
  GatewayPool,
  providerWebhookSecret,
  requireFabricNetwork,
  Trade,
} from '@p2p-escrow/testkit';
import { runScript, writeReport } from './reportFiles';
import { latencySummary, type LatencySummary } from './stats';

/** Escrows are prepared this many at a time, so setup does not queue on one peer. */
const preparationBatch = 10;

async function inBatches<T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let start = 0; start < count; start += preparationBatch) {
    const batch = Array.from({ length: Math.min(preparationBatch, count - start) }, (_, i) =>
      make(start + i),
    );
    made.push(...(await Promise.all(batch)));
  }
  return made;
}

async function acceptedTrades(pool: GatewayPool, count: number, purpose: string): Promise<Trade[]> {
  return inBatches(count, async () => {
    const trade = new Trade(pool, CROSS_MARKET, purpose);
    await trade.create();
    return trade;
  });
}

interface BurstResult {
  readonly latencyMs: LatencySummary;
  readonly wallSeconds: number;
  readonly fundedPerSecond: number;
  readonly failures: string[];
}

async function burst(count: number, one: (index: number) => Promise<void>): Promise<BurstResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const started = performance.now();
      try {
        await one(index);
        latencies.push(performance.now() - started);
      } catch (error) {
        failures.push(error instanceof Error ? error.message.slice(0, 200) : String(error));
      }
    }),
  );
  const wallSeconds = (performance.now() - began) / 1000;
  return {
    latencyMs: latencySummary(latencies),
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    fundedPerSecond: Math.round((latencies.length / wallSeconds) * 10) / 10,
    failures,
  };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 50);
  await requireFabricNetwork();
  const pool = new GatewayPool();
  try {
    const paid = await acceptedTrades(pool, count, 'bench-fund-webhook');
    const payments = await inBatches(count, async (index) => {
      const escrowId = paid[index]?.escrowId ?? '';
      const answer = await as('marketa-backend', 'POST', `/v1/escrows/${escrowId}/payment`, {});
      if (answer.status !== 201) throw new Error(`payment of ${escrowId}: ${answer.text}`);
      return String(answer.body['paymentId']);
    });
    const secret = providerWebhookSecret();
    const events = paid.map((trade, index) =>
      paymentSucceededDelivery(
        { paymentId: payments[index] ?? '', escrowId: trade.escrowId, amountMinor: 12_345n, currency: 'EUR' },
        secret,
      ),
    );
    const webhook = await burst(count, async (index) => {
      const answer = await deliverProviderEvent('MarketA', events[index] ?? { body: '', signature: '' });
      if (answer.status !== 200 || answer.body['status'] !== 'funded')
        throw new Error(`${String(answer.status)} ${answer.text}`);
    });

    const direct = await acceptedTrades(pool, count, 'bench-fund-direct');
    const ceiling = await burst(count, async (index) => {
      await direct[index]?.fund();
    });

    const report = {
      measuredAt: new Date().toISOString(),
      burst: count,
      'provider event → funded (payments service)': webhook,
      'ceiling: fund straight to the peer': ceiling,
    };
    const row = (name: string, r: BurstResult) =>
      `| ${name} | ${String(r.latencyMs.n)} | ${r.latencyMs.p50.toFixed(0)} | ${r.latencyMs.p95.toFixed(0)} | ${r.latencyMs.p99.toFixed(0)} | ${r.latencyMs.max.toFixed(0)} | ${r.wallSeconds.toFixed(1)} | ${r.fundedPerSecond.toFixed(1)} | ${String(r.failures.length)} |`;
    const markdown = [
      `# Provider event → on-chain funding (${report.measuredAt}, a burst of ${String(count)} at once)`,
      '',
      '| what | funded | p50 ms | p95 ms | p99 ms | max ms | wall s | funded/s | failures |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      row('provider event → funded (payments service)', webhook),
      row('ceiling: fund straight to the peer', ceiling),
      '',
    ].join('\n');
    writeReport('funding-latency', report, markdown);
    console.log(markdown);
    for (const failure of [...webhook.failures, ...ceiling.failures].slice(0, 5)) console.log(`  ${failure}`);
  } finally {
    pool.closeAll();
  }
}

runScript(main);
