// The chaincode's cost of items: the latency of each transaction of an escrow that moves per item
// against the same escrow moved as one, straight to the peers, in one run. Escrows of each item count
// are driven one after another, round-robin across the counts so that any drift of the machine falls
// on all of them alike; every step waits until its endorsers committed the previous one, and is timed
// in two parts: the endorsement (both endorsing peers run the chaincode) and the commit (ordering,
// the block, validation). The endorsement is where a bigger record costs the chaincode; the commit is
// mostly the orderer's BatchTimeout.
// Run: node bench/dist/itemLatency.js [escrows per count] [item counts, comma-separated]
// (defaults 10 and 1,3,10); writes bench/reports/item-latency.{json,md}.
import { TRANSACTIONS } from '@p2p-escrow/chaincode';
import {
  CROSS_MARKET,
  escrowContract,
  GatewayPool,
  orgOfIdentity,
  orgOfMspId,
  proposalOptionsOf,
  Trade,
} from '@p2p-escrow/testkit';
import { runScript, writeReport } from './reportFiles';
import { latencySummary } from './stats';

/** One committed step's timing and the size of the chaincode's answer (the record it wrote). */
interface TimedStep {
  readonly transaction: string;
  readonly endorseMs: number;
  readonly totalMs: number;
  readonly answerBytes: number;
}

/** Submits as `identityId` through its own org's peer once the endorsers caught up; times both parts. */
async function timedStep(
  trade: Trade,
  identityId: string,
  transaction: string,
  args: readonly string[],
): Promise<TimedStep> {
  const via = orgOfIdentity(identityId);
  const endorsingOrganizations = trade.endorsers;
  await trade.pool.caughtUp([via, ...endorsingOrganizations.map(orgOfMspId)], trade.lastBlock);
  const contract = escrowContract(trade.pool.of(identityId, via));
  const started = performance.now();
  const endorsed = await contract
    .newProposal(transaction, proposalOptionsOf(transaction, args, { endorsingOrganizations }))
    .endorse();
  const endorsedAt = performance.now();
  const status = await (await endorsed.submit()).getStatus();
  const committedAt = performance.now();
  if (!status.successful)
    throw new Error(`${transaction} of ${trade.escrowId} committed with code ${String(status.code)}`);
  trade.lastBlock = status.blockNumber;
  return {
    transaction,
    endorseMs: endorsedAt - started,
    totalMs: committedAt - started,
    answerBytes: endorsed.getResult().length,
  };
}

/** An escrow of `count` equal items, agreed, funded and ended: by the escrow's steps for one item, per item otherwise. */
async function driveEscrow(pool: GatewayPool, count: number, index: number): Promise<TimedStep[]> {
  const trade = new Trade(
    pool,
    CROSS_MARKET,
    `items-${String(count)}-${String(index)}`,
    String(1000 * count),
  );
  trade.terms = {
    items: Array.from({ length: count }, (_unused, item) => ({
      description: `Milestone ${String(item + 1)}`,
      price: '1000',
    })),
  };
  const { backend, buyer, seller, payments } = trade.parties;
  const id = trade.escrowId;
  const steps: TimedStep[] = [];
  const step = async (who: string, transaction: string, args: readonly string[]) => {
    steps.push(await timedStep(trade, who, transaction, [id, ...args]));
  };
  await step(backend, TRANSACTIONS.createEscrow, [JSON.stringify(trade.request())]);
  await step(trade.counterparty, TRANSACTIONS.acceptEscrow, []);
  await step(payments, TRANSACTIONS.fundEscrow, [trade.amount, trade.currency, `psp-${id}`]);
  if (count === 1) {
    await step(seller, TRANSACTIONS.shipEscrow, ['DHL', `trk-${id}`]);
    await step(buyer, TRANSACTIONS.confirmDelivery, []);
    await step(buyer, TRANSACTIONS.releaseEscrow, []);
    return steps;
  }
  for (let item = 0; item < count; item++) {
    await step(seller, TRANSACTIONS.shipItem, [String(item), 'DHL', `trk-${id}-${String(item)}`]);
    await step(buyer, TRANSACTIONS.confirmItemDelivery, [String(item)]);
    await step(buyer, TRANSACTIONS.releaseItem, [String(item)]);
  }
  return steps;
}

/** The phase a transaction belongs to, so one item's ship lines up with the whole escrow's. */
const PHASES: Readonly<Record<string, string>> = {
  [TRANSACTIONS.createEscrow]: 'create',
  [TRANSACTIONS.acceptEscrow]: 'accept',
  [TRANSACTIONS.fundEscrow]: 'fund',
  [TRANSACTIONS.shipEscrow]: 'ship',
  [TRANSACTIONS.shipItem]: 'ship',
  [TRANSACTIONS.confirmDelivery]: 'confirm delivery',
  [TRANSACTIONS.confirmItemDelivery]: 'confirm delivery',
  [TRANSACTIONS.releaseEscrow]: 'release',
  [TRANSACTIONS.releaseItem]: 'release',
};

async function main(): Promise<void> {
  const escrows = Number(process.argv[2] ?? 10);
  const counts = (process.argv[3] ?? '1,3,10').split(',').map(Number);
  if (
    !Number.isInteger(escrows) ||
    escrows < 1 ||
    counts.some((count) => !Number.isInteger(count) || count < 1)
  )
    throw new Error('usage: itemLatency.js [escrows per count ≥ 1] [item counts ≥ 1, comma-separated]');
  const pool = new GatewayPool();
  const steps = new Map<number, TimedStep[]>(counts.map((count) => [count, []]));
  const started = Date.now();
  try {
    // Warm up: connections, the chaincode servers' first calls.
    await driveEscrow(pool, 1, -1);
    for (let index = 0; index < escrows; index++)
      for (const count of counts) steps.get(count)?.push(...(await driveEscrow(pool, count, index)));
  } finally {
    pool.closeAll();
  }

  const phases = [...new Set(Object.values(PHASES))];
  const rows = counts.flatMap((count) =>
    phases.map((phase) => {
      const taken = (steps.get(count) ?? []).filter((step) => PHASES[step.transaction] === phase);
      return {
        items: count,
        phase,
        transaction: [...new Set(taken.map((step) => step.transaction))].join(', '),
        endorseMs: latencySummary(taken.map((step) => step.endorseMs)),
        totalMs: latencySummary(taken.map((step) => step.totalMs)),
        answerBytes: latencySummary(taken.map((step) => step.answerBytes)),
      };
    }),
  );
  const base = (phase: string) => rows.find((row) => row.items === counts[0] && row.phase === phase);
  const report = {
    measuredAt: new Date().toISOString(),
    wallSeconds: (Date.now() - started) / 1000,
    escrowsPerCount: escrows,
    itemCounts: counts,
    parties: 'MarketA buyer, MarketB seller (endorsed by MarketA + MarketB)',
    rows: rows.map((row) => ({
      ...row,
      endorseRatioToFirstCount: row.endorseMs.p50 / (base(row.phase)?.endorseMs.p50 ?? Number.NaN),
    })),
  };
  const fixed = (value: number) => value.toFixed(1);
  const markdown = [
    `# Chaincode latency by item count (${report.measuredAt}, ${String(escrows)} escrows per count, sequential, ${fixed(report.wallSeconds)} s)`,
    '',
    `Straight to the peers; each step's endorsement (both endorsing peers run the chaincode) and its whole`,
    `time to commit. "× ${String(counts[0])} item" is the endorsement p50 against the same phase of the first count.`,
    '',
    '| items | phase | transaction | n | endorse p50 ms | endorse p95 ms | × first | commit p50 ms | commit p95 ms | answer bytes p50 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.rows.map(
      (row) =>
        `| ${String(row.items)} | ${row.phase} | ${row.transaction} | ${String(row.endorseMs.n)} | ${fixed(row.endorseMs.p50)} | ${fixed(row.endorseMs.p95)} | ${row.endorseRatioToFirstCount.toFixed(2)} | ${fixed(row.totalMs.p50)} | ${fixed(row.totalMs.p95)} | ${String(Math.round(row.answerBytes.p50))} |`,
    ),
    '',
  ].join('\n');
  writeReport('item-latency', report, markdown);
  console.log(markdown);
}

runScript(main);
