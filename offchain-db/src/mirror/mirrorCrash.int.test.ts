// The mirror under load and under crashes, on the live network: its lag under a burst, five
// SIGKILLs during a burst ending with a clean reconciliation and no duplicate event on Kafka, and a
// rebuild from block 0 equal to the live projection.
import { offchainCommandEnv } from '@p2p-escrow/scripts';
import {
  checkpointOf,
  ensureDaemons,
  escrowBurst,
  GatewayPool,
  liveRunner,
  mirroredThrough,
  percentile,
  projectionPool,
  topicMessages,
  watchBlockArrivals,
  type BurstResult,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Pool } from 'pg';
import type { ReconcileReport } from '../reconcile/reconcile';
import { projectionDifferences } from '../testing/projectionDiff';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const offchainCommand = path.join(repoRoot, 'scripts', 'dist', 'offchain', 'offchainCommand.js');
// Each kill lands mid-stream, at a random point after the restarted mirror applied a block of the
// burst; five such resumes prove what more would repeat. MIRROR_KILLS=20 (or more) makes it a soak.
const KILLS = Number(process.env['MIRROR_KILLS'] ?? 5);
const CONCURRENCY = 6;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The `reconcile` command as an operator runs it: its exit status, its JSON report and its text. */
function reconcileCommand(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [offchainCommand, 'reconcile'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

interface Lags {
  /** From the peer delivering the block (to a watcher beside the mirror) to the row's write. */
  readonly fromDelivery: number[];
  /** From the transaction's proposal timestamp (endorse + order + commit + mirror) to the row. */
  readonly fromProposal: number[];
}

async function lagsOf(db: Pool, escrowIds: string[], arrivals: Map<bigint, number>): Promise<Lags> {
  const rows = (
    await db.query<{ block_number: bigint; mirrored_ms: number; proposed_ms: number }>(
      `SELECT block_number, (extract(epoch FROM mirrored_at) * 1000)::float8 AS mirrored_ms,
         (extract(epoch FROM tx_time) * 1000)::float8 AS proposed_ms
       FROM transitions WHERE escrow_id = ANY($1)`,
      [escrowIds],
    )
  ).rows;
  return {
    fromDelivery: rows.flatMap((row) => {
      const arrived = arrivals.get(row.block_number);
      return arrived === undefined ? [] : [row.mirrored_ms - arrived];
    }),
    fromProposal: rows.map((row) => row.mirrored_ms - row.proposed_ms),
  };
}

function describeLag(lags: Lags, burst: BurstResult, seconds: number): string {
  const stats = (values: number[]) =>
    `p50 ${percentile(values, 50).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms, ` +
    `max ${Math.max(...values).toFixed(0)} ms`;
  return (
    `burst: ${burst.transactions} transactions in ${seconds.toFixed(1)}s ` +
    `(${(burst.transactions / seconds).toFixed(1)} tx/s, ${burst.failures.length} failed trades), ` +
    `${lags.fromDelivery.length} transitions\n` +
    `      mirror lag, block delivered -> row written: ${stats(lags.fromDelivery)}\n` +
    `      end to end, proposal -> row written:        ${stats(lags.fromProposal)}`
  );
}

describe('mirror under load and crashes', function () {
  this.timeout(900_000);
  const pool = new GatewayPool();
  const runner = liveRunner();
  let db: Pool;

  before(async () => {
    await ensureDaemons(['mirror', 'outbox-relay'], runner);
    db = projectionPool();
  });

  after(async () => {
    pool.closeAll();
    await db.end();
  });

  it('keeps up with a burst of escrow transitions (lag from block delivery to row)', async () => {
    const watcher = await watchBlockArrivals(pool);
    const began = Date.now();
    const burst = await escrowBurst(pool, CONCURRENCY, () => Date.now() - began < 20_000);
    const seconds = (Date.now() - began) / 1000;
    await mirroredThrough(db, burst.lastBlock);
    watcher.stop();

    const lags = await lagsOf(db, burst.escrowIds, watcher.arrivals);
    console.log(`      ${describeLag(lags, burst, seconds)}`);
    expect(lags.fromDelivery.length).to.be.greaterThan(0);
    expect(percentile(lags.fromDelivery, 99)).to.be.lessThan(1000);
  });

  it(`survives ${KILLS} SIGKILLs during a burst: reconcile clean, no duplicate event ids on Kafka`, async () => {
    let killing = true;
    const began = Date.now();
    const load = escrowBurst(pool, CONCURRENCY, () => killing);
    let restarts = 0;
    let killedAt = await checkpointOf(db);
    try {
      for (let kill = 0; kill < KILLS; kill += 1) {
        // Each kill lands mid-stream: the restarted mirror has applied blocks of the burst since.
        await mirroredThrough(db, killedAt + 1n);
        await sleep(Math.floor(Math.random() * 500));
        killedAt = await checkpointOf(db);
        await runner.kill('mirror');
        // Back once it streams blocks again (its /healthz), with nothing else restarted.
        await runner.relaunch(['mirror']);
        restarts += 1;
      }
    } finally {
      killing = false;
    }
    const burst = await load;
    const seconds = (Date.now() - began) / 1000;
    console.log(`      ${restarts} kills; ${burst.transactions} transactions in ${seconds.toFixed(1)}s`);
    expect(burst.transactions).to.be.greaterThan(KILLS);
    await mirroredThrough(db, burst.lastBlock);

    const transitions = (
      await db.query<{ escrow_id: string; event_id: string }>(
        `SELECT escrow_id, tx_id || ':' || event_index AS event_id FROM transitions
         WHERE escrow_id = ANY($1) ORDER BY block_number, tx_index`,
        [burst.escrowIds],
      )
    ).rows;
    // The operator's reconcile command and the topic's read, at once: neither waits on the other.
    const [reconciled, messages] = await Promise.all([
      reconcileCommand(),
      topicMessages(new Set(burst.escrowIds), new Set(transitions.map((t) => t.event_id))),
    ]);
    expect(reconciled.status, reconciled.stderr).to.equal(0);
    const reportLine = reconciled.stdout.split('\n').find((line) => line.startsWith('{"ok"'));
    const report = JSON.parse(reportLine ?? '{}') as Partial<ReconcileReport>;
    expect(report.drift).to.deep.equal([]);
    expect(report.outboxMismatches).to.deep.equal([]);
    expect(report.ok).to.equal(true);

    const counts = new Map<string, number>();
    for (const message of messages) counts.set(message.eventId, (counts.get(message.eventId) ?? 0) + 1);
    const duplicates = [...counts.entries()].filter(([, n]) => n > 1);
    expect(duplicates).to.deep.equal([]);
    expect([...counts.keys()].sort()).to.deep.equal(transitions.map((t) => t.event_id).sort());
    // Each escrow's events arrive in ledger order.
    for (const escrowId of burst.escrowIds) {
      const onKafka = messages.filter((m) => m.key === escrowId).map((m) => m.eventId);
      const onLedger = transitions.filter((t) => t.escrow_id === escrowId).map((t) => t.event_id);
      expect(onKafka, escrowId).to.deep.equal(onLedger);
    }
  });

  it('rebuilds from block 0 into a scratch schema equal to the live projection', async () => {
    await db.query('DROP SCHEMA IF EXISTS rebuild_check CASCADE');
    const rebuilt = spawnSync(process.execPath, [offchainCommand, 'rebuild', '--schema', 'rebuild_check'], {
      encoding: 'utf8',
      env: { ...process.env, ...offchainCommandEnv('mirror', 'rebuild_check') },
    });
    expect(rebuilt.status, rebuilt.stderr).to.equal(0);
    const summaryLine = rebuilt.stdout.split('\n').find((line) => line.startsWith('{"rebuiltToBlock"'));
    const summary = JSON.parse(summaryLine ?? '{}') as {
      rebuiltToBlock: string;
      transitionsPerSecond: number;
    };
    console.log(`      rebuild: ${summaryLine ?? rebuilt.stdout}`);
    const through = BigInt(summary.rebuiltToBlock);
    await mirroredThrough(db, through);
    const scratch = projectionPool('rebuild_check');
    try {
      expect(await checkpointOf(scratch)).to.equal(through);
    } finally {
      await scratch.end();
    }

    const differences = await projectionDifferences(db, 'public', 'rebuild_check', through);
    for (const [table, diff] of Object.entries(differences)) {
      expect({ table, onlyLive: diff.onlyLeft, onlyRebuilt: diff.onlyRight }).to.deep.equal({
        table,
        onlyLive: 0,
        onlyRebuilt: 0,
      });
    }
    expect(differences['transitions']?.rows).to.be.greaterThan(0);
  });
});
