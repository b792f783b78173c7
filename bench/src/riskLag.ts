// The risk service's decision lag under load: for each escrow event of the transactions timestamped in
// a window, from its block's commit on Oversight's peer (the peer the auditor's mirror reads, whose
// outbox feeds the risk service through Kafka; the bench sees the commit on that peer's block event
// stream) to its decision recorded in the transaction that moves the risk service's checkpoint
// (`risk.decisions.decided_at`, PostgreSQL's clock_timestamp() on the same host). PostgreSQL gives
// the rows, as the risk service's own role; the percentiles are computed here, against the commit
// times the bench saw.
import type { LagSeconds, SqlClient } from './mirrorLag';
import { lagFromCommit, timestampedIn } from './commitLag';

/**
 * $1, $2: the window's bounds, on the transaction timestamp. One row per escrow event of the window,
 * with its deciding (non-shadow) decision's time, or NULL when there is none yet.
 */
export const RISK_DECISIONS_SQL = `
  SELECT t.block_number::text AS block_number,
    (extract(epoch FROM t.tx_time) * 1000)::float8 AS tx_time_ms,
    (extract(epoch FROM d.decided_at) * 1000)::float8 AS decided_at_ms
  FROM public.transitions t
  LEFT JOIN risk.decisions d
    ON d.event_id = t.tx_id || ':' || t.event_index AND NOT d.shadow
  WHERE t.tx_time >= $1 AND t.tx_time < $2`;

export interface DecisionRow {
  readonly blockNumber: number;
  /** The transaction's timestamp, ms since the epoch. */
  readonly txTimeMs: number;
  /** When the decision was recorded, ms since the epoch; undefined: not decided. */
  readonly decidedAtMs: number | undefined;
}

export interface RiskLag {
  readonly window: { readonly from: string; readonly to: string };
  /** Escrow events timestamped in the window, those decided, and those without a decision yet. */
  readonly events: number;
  readonly decided: number;
  readonly undecided: number;
  /** Decided events whose block the bench did not see committed on the peer (not in the figures). */
  readonly withoutCommitTime: number;
  readonly blockCommitToDecisionSeconds: LagSeconds;
}

/** Reads the rows of RISK_DECISIONS_SQL. */
export function decisionRowsOf(rows: readonly unknown[]): DecisionRow[] {
  return rows.map((row) => {
    if (typeof row !== 'object' || row === null) throw new Error('risk lag: not a row');
    const {
      block_number: block,
      tx_time_ms: txTime,
      decided_at_ms: decided,
    } = row as Record<string, unknown>;
    if (typeof block !== 'string' || !/^\d+$/.test(block))
      throw new Error('risk lag row: block_number is not a block number');
    if (typeof txTime !== 'number') throw new Error('risk lag row: tx_time_ms is not a number');
    if (decided !== null && typeof decided !== 'number')
      throw new Error('risk lag row: decided_at_ms is not a number');
    return { blockNumber: Number(block), txTimeMs: txTime, decidedAtMs: decided ?? undefined };
  });
}

/**
 * The lag of each decided event of the transactions timestamped in [from, to) from its block's commit
 * (`commits`: block number → ms since the epoch when the peer delivered it), in seconds to the
 * millisecond (commitLag.ts).
 */
export function riskLagOf(
  rows: readonly DecisionRow[],
  commits: ReadonlyMap<number, number>,
  from: Date,
  to: Date,
): RiskLag {
  const inWindow = timestampedIn(rows, from, to);
  const lag = lagFromCommit(inWindow, commits, (row) => row.decidedAtMs);
  return {
    window: { from: from.toISOString(), to: to.toISOString() },
    events: inWindow.length,
    decided: lag.done,
    undecided: inWindow.length - lag.done,
    withoutCommitTime: lag.withoutCommitTime,
    blockCommitToDecisionSeconds: lag.seconds,
  };
}

export async function queryDecisionRows(db: SqlClient, from: Date, to: Date): Promise<DecisionRow[]> {
  return decisionRowsOf((await db.query(RISK_DECISIONS_SQL, [from, to])).rows);
}

/** The summary's row: p50 and p99 of block commit → decision, or why they are missing. */
export function riskLagSummary(
  lag: RiskLag | { readonly error: string } | undefined,
): Readonly<Record<string, number>> | string {
  if (lag === undefined) return 'not measured: the gateway layer did not run';
  if ('error' in lag) return `not measured: ${lag.error}`;
  return { p50: lag.blockCommitToDecisionSeconds.p50, p99: lag.blockCommitToDecisionSeconds.p99 };
}

/** Markdown lines: what was counted, and one row of percentiles. */
export function riskLagTable(lag: RiskLag | { readonly error: string }): string[] {
  if ('error' in lag) return [`Risk decision lag not measured: ${lag.error}`];
  const s = lag.blockCommitToDecisionSeconds;
  return [
    `${String(lag.events)} escrow events timestamped ${lag.window.from} – ${lag.window.to}: ${String(lag.decided)} decided, ${String(lag.undecided)} not decided when measured, ${String(lag.withoutCommitTime)} decided without a commit time seen (left out).`,
    '',
    '| span (s) | p50 | p95 | p99 | max |',
    '| --- | --- | --- | --- | --- |',
    `| block commit on Oversight's peer → risk decision recorded | ${String(s.p50)} | ${String(s.p95)} | ${String(s.p99)} | ${String(s.max)} |`,
  ];
}
