// One chaos run: a webhook receiver subscribed, the load started, the seeded fault schedule injected
// one fault at a time while the load runs, then the stack healed, a bounded wait for quiescence and the
// checker's verdicts. The caller (the `npm run chaos` command, the short profile of `npm run test:chaos`)
// writes the report.
import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '@p2p-escrow/offchain-db';
import { repoRoot } from '@p2p-escrow/scripts';
import { as, checkpointOf, PartnerEndpoint, projectionPool, tokenOf } from '@p2p-escrow/testkit';
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import {
  answeredExactlyOnce,
  deadDeliveriesOf,
  escrowRowsOf,
  kafkaCopies,
  ledgerHistoryOf,
  moneyInvariant,
  noDeadlinePassed,
  pendingWork,
  projectedOnceOnKafka,
  transitionsOf,
  webhooksAccounted,
  type Pool,
  type Verdict,
} from './chaosChecker';
import { ChaosLoad } from './chaosLoad';
import { describeDiagnosis, diagnoseLostAnswers, type LostAnswerDiagnosis } from './lostAnswerDiagnosis';
import { lostAnswers } from './lostAnswers';
import { healthyStack } from '../healthyStack';
import { FaultInjector, type InjectedFault } from './faultInjector';
import { describeSchedule, faultSchedule, type FaultKind } from './faultSchedule';

export interface ChaosOptions {
  readonly seed: number;
  readonly minutes: number;
  readonly faults: number;
  /** Lifecycles started per second. */
  readonly rate: number;
  /** The kinds to draw from (default: every kind). */
  readonly kinds?: readonly FaultKind[];
  /** The longest wait for quiescence after the load. */
  readonly quiescenceSeconds: number;
  /** How long one lifecycle step may keep retrying (default 150 s). */
  readonly stepDeadlineSeconds?: number;
  readonly log: (line: string) => void;
}

export interface ChaosReport {
  readonly seed: number;
  readonly startedAt: string;
  readonly wallSeconds: number;
  readonly options: { minutes: number; faults: number; rate: number; kinds: readonly FaultKind[] | 'all' };
  /** How long the load started lifecycles: its window, extended while faults were still being healed. */
  readonly loadWindowSeconds: number;
  readonly schedule: readonly string[];
  readonly faults: readonly InjectedFault[];
  readonly faultsByKind: Record<
    string,
    { count: number; recovered: number; recoveryMsMax: number; recoveryMsMean: number }
  >;
  readonly requests: Record<string, number>;
  readonly escrows: {
    started: number;
    completed: number;
    gaveUp: Record<string, number>;
    byState: Record<string, number>;
  };
  readonly quiescence: { reached: boolean; seconds: number };
  readonly reconcile: { status: number | null; summary: string };
  readonly verdicts: readonly Verdict[];
  /** Each answered request not found once on the ledger, with each org's peer's word on its transaction. */
  readonly lostAnswers: readonly LostAnswerDiagnosis[];
  readonly passed: boolean;
}

/** Keeper's interval (2 s by default) and a margin for a keeper restarted by the run. */
const DEADLINE_GRACE_MS = 30_000;
const INSPECTION_SECONDS = 15;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `reconcile` command as an operator runs it: exit status and its one JSON line. */
function reconcileCommand(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const command = path.join(repoRoot, 'scripts', 'dist', 'offchain', 'offchainCommand.js');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [command, 'reconcile'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          status: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        });
      },
    );
  });
}

function byKind(faults: readonly InjectedFault[]): ChaosReport['faultsByKind'] {
  const result: ChaosReport['faultsByKind'] = {};
  for (const fault of faults) {
    const entry = result[fault.kind] ?? { count: 0, recovered: 0, recoveryMsMax: 0, recoveryMsMean: 0 };
    entry.count += 1;
    if (fault.recoveryMs !== undefined) {
      entry.recoveryMsMean = Math.round(
        (entry.recoveryMsMean * entry.recovered + fault.recoveryMs) / (entry.recovered + 1),
      );
      entry.recovered += 1;
      entry.recoveryMsMax = Math.max(entry.recoveryMsMax, fault.recoveryMs);
    }
    result[fault.kind] = entry;
  }
  return result;
}

/** Waits (bounded) until the projection stops moving and nothing is left to publish or deliver. */
/** What the last look at the stack saw while waiting for it to be quiet. */
interface QuietLook {
  readonly reached: boolean;
  /** Webhook deliveries of the run's subscription still pending or retrying. */
  readonly deliveries: number;
  /** Outbox rows not yet on Kafka. */
  readonly outbox: number;
  /** The run's escrows still DELIVERED (the keeper's releases to come). */
  readonly delivered: number;
  /** How long the mirror's checkpoint and the run's escrow rows had not changed. */
  readonly stableMs: number;
}

/** The look's figures, for the verdict's detail: what was still moving when the wait ended. */
function describeLook(look: QuietLook): string {
  return `${String(look.deliveries)} webhook deliveries pending, ${String(look.outbox)} outbox rows unsent, ${String(look.delivered)} escrows still DELIVERED, projection unchanged for ${(look.stableMs / 1000).toFixed(0)} s`;
}

async function quiesce(
  db: Pool,
  subscriptionId: string,
  escrowIds: readonly string[],
  limitMs: number,
): Promise<QuietLook> {
  const deadline = Date.now() + limitMs;
  let last = '';
  let stableSince = Date.now();
  let look: QuietLook = { reached: false, deliveries: 0, outbox: 0, delivered: 0, stableMs: 0 };
  while (Date.now() < deadline) {
    const [checkpoint, work, rows] = await Promise.all([
      checkpointOf(db),
      pendingWork(db, subscriptionId),
      db.query<{ n: string; delivered: string }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE state = 'DELIVERED') AS delivered FROM escrows WHERE escrow_id = ANY($1)`,
        [escrowIds],
      ),
    ]);
    const now = `${String(checkpoint)} ${String(rows.rows[0]?.n)}`;
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    const delivered = Number(rows.rows[0]?.delivered ?? 0);
    const idle = work.deliveries === 0 && work.outbox === 0 && delivered === 0;
    const stableMs = Date.now() - stableSince;
    look = { reached: idle && stableMs > 10_000, ...work, delivered, stableMs };
    if (look.reached) return look;
    await sleep(1000);
  }
  return look;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { log } = options;
  const began = Date.now();
  const runner = await healthyStack();
  const injector = new FaultInjector(runner, log);
  const db = projectionPool();
  db.on('error', () => undefined);
  const receiver = new PartnerEndpoint(EVENT_ID_HEADER, SIGNATURE_HEADER);
  receiver.up = true;
  const durationMs = options.minutes * 60_000;
  const schedule = faultSchedule({
    seed: options.seed,
    faults: options.faults,
    windowMs: durationMs * 0.9,
    ...(options.kinds === undefined ? {} : { kinds: options.kinds }),
  });
  const described = describeSchedule(schedule);
  log(`seed ${String(options.seed)}: ${String(schedule.length)} faults over ${String(options.minutes)} min`);
  for (const line of described) log(`  ${line}`);

  let subscriptionId = '';
  try {
    const load = new ChaosLoad({
      runTag: `${String(options.seed)}-${crypto.randomBytes(3).toString('hex')}`,
      rate: options.rate,
      durationMs,
      stepDeadlineMs: (options.stepDeadlineSeconds ?? 150) * 1000,
      inspectionSeconds: INSPECTION_SECONDS,
      log,
    });
    const injected: InjectedFault[] = [];
    try {
      // Short retries, bounded: a delivery the receiver never took is dead within about a minute.
      subscriptionId = (await receiver.subscribe('marketa-backend', { retryBaseMs: 500, maxAttempts: 8 })).id;
      for (const caller of ['marketa-backend', 'bea', 'alice'] as const) await tokenOf(caller);

      const loadStart = performance.now();
      const sinceStart = () => Math.round(performance.now() - loadStart);
      const running = load.run();
      // Faults run one at a time, each healed before the next; when healing falls behind the schedule the
      // load keeps going until the last fault is healed, but no fault starts after twice the window.
      const hardEndMs = 2 * durationMs;
      load.holdOpen();
      for (const fault of schedule) {
        const wait = fault.atMs - sinceStart();
        if (wait > 0) await sleep(wait);
        if (sinceStart() > hardEndMs) {
          log(`fault #${String(fault.index)} and later skipped: twice the load's window has passed`);
          break;
        }
        injected.push(await injector.inject(fault, sinceStart));
      }
      // The load runs on for 5 s past the last fault's healing (or to its own window's end).
      load.keepRunningUntil(sinceStart() + 5000);
      load.release();
      await running;
      log(
        `load done: ${String(load.escrows.length)} lifecycles started over ${(load.windowMs / 1000).toFixed(0)}s`,
      );
    } finally {
      load.stop();
      // Whatever the run did, the stack is left running.
      await injector.heal(undefined, performance.now() + 300_000).catch((error: unknown) => {
        log(`final heal: ${String(error)}`);
      });
    }

    const escrowIds = load.escrows.map((escrow) => escrow.escrowId);
    const quietFrom = Date.now();
    await sleep(INSPECTION_SECONDS * 1000);
    const look = await quiesce(db, subscriptionId, escrowIds, options.quiescenceSeconds * 1000);
    const { reached } = look;
    const quiescence = { reached, seconds: Math.round((Date.now() - quietFrom) / 1000) };
    log(
      `quiescence ${reached ? 'reached' : 'NOT reached'} after ${String(quiescence.seconds)}s: ${describeLook(look)}`,
    );

    const [transitions, rows, history, dead, reconciled] = await Promise.all([
      transitionsOf(db, escrowIds),
      escrowRowsOf(db, escrowIds),
      ledgerHistoryOf(escrowIds),
      deadDeliveriesOf(db, subscriptionId),
      reconcileCommand(),
    ]);
    const onKafka = await kafkaCopies(
      escrowIds,
      transitions.map((row) => row.eventId),
    );
    const received = new Set(receiver.received.map((delivery) => delivery.eventId));
    const reportLine = reconciled.stdout.split('\n').find((line) => line.startsWith('{')) ?? '';
    // At most 50 diagnosed: a run that lost more has one cause to find, not fifty.
    const lost = await diagnoseLostAnswers(lostAnswers(load.escrows, transitions, history).slice(0, 50));
    const answered = answeredExactlyOnce(load.escrows, transitions, history);
    const verdicts: Verdict[] = [
      lost.length === 0 ? answered : { ...answered, examples: lost.slice(0, 10).map(describeDiagnosis) },
      projectedOnceOnKafka(transitions, onKafka, history),
      webhooksAccounted(transitions, { received, dead }),
      moneyInvariant(rows),
      {
        name: 'reconcile is clean',
        passed: reconciled.status === 0,
        detail: `exit ${String(reconciled.status)}`,
        examples: reconciled.status === 0 ? [] : [reconciled.stderr.slice(0, 600)],
      },
      noDeadlinePassed(rows, new Date(), DEADLINE_GRACE_MS),
      {
        name: 'the stack is quiet again',
        passed: quiescence.reached,
        detail: `after ${String(quiescence.seconds)}s`,
        examples: quiescence.reached ? [] : [describeLook(look)],
      },
    ];
    for (const v of verdicts)
      log(
        `${v.passed ? 'PASS' : 'FAIL'} ${v.name}: ${v.detail}${v.passed ? '' : ` e.g. ${v.examples.slice(0, 3).join('; ')}`}`,
      );

    const gaveUp: Record<string, number> = {};
    for (const escrow of load.escrows)
      if (escrow.gaveUpAt !== undefined) gaveUp[escrow.gaveUpAt] = (gaveUp[escrow.gaveUpAt] ?? 0) + 1;
    const byState: Record<string, number> = {};
    for (const row of rows) byState[row.state] = (byState[row.state] ?? 0) + 1;
    return {
      seed: options.seed,
      startedAt: new Date(began).toISOString(),
      wallSeconds: Math.round((Date.now() - began) / 1000),
      options: {
        minutes: options.minutes,
        faults: options.faults,
        rate: options.rate,
        kinds: options.kinds ?? 'all',
      },
      loadWindowSeconds: Math.round(load.windowMs / 1000),
      schedule: described,
      faults: injected,
      faultsByKind: byKind(injected),
      requests: Object.fromEntries([...load.outcomes].sort(([a], [b]) => a.localeCompare(b))),
      escrows: {
        started: load.escrows.length,
        completed: load.escrows.filter((escrow) => escrow.gaveUpAt === undefined).length,
        gaveUp,
        byState,
      },
      quiescence,
      reconcile: { status: reconciled.status, summary: reportLine.slice(0, 400) },
      verdicts,
      lostAnswers: lost,
      passed: verdicts.every((v) => v.passed),
    };
  } finally {
    // The run's subscription, receiver and pool go whatever happened, so the process can end.
    if (subscriptionId !== '')
      await as('marketa-backend', 'DELETE', `/v1/webhooks/${subscriptionId}`).catch(() => undefined);
    await receiver.close().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}
