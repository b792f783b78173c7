// The auditor's mirror's lag from the block's commit on its own peer (Oversight's, as the bench's block
// stream from that peer saw it) to the transitions row (`mirrored_at`) and to Kafka's acknowledgement of
// its event (the outbox row's `sent_at`): what the mirror and the relay take, without the queueing in
// front of the commit that a lag from the transaction's timestamp also counts.
import { lagFromCommit, timestampedIn } from './commitLag';
import type { LagSeconds, SqlClient } from './mirrorLag';

/** $1, $2: the window's bounds, on the transaction timestamp. One row per transition of the window. */
export const MIRROR_ROWS_SQL = `
  SELECT t.block_number::text AS block_number,
    (extract(epoch FROM t.tx_time) * 1000)::float8 AS tx_time_ms,
    (extract(epoch FROM t.mirrored_at) * 1000)::float8 AS mirrored_at_ms,
    (extract(epoch FROM o.sent_at) * 1000)::float8 AS sent_at_ms
  FROM transitions t
  LEFT JOIN outbox o
    ON o.block_number = t.block_number AND o.event_id = t.tx_id || ':' || t.event_index
  WHERE t.tx_time >= $1 AND t.tx_time < $2`;

export interface MirrorRow {
  readonly blockNumber: number;
  readonly txTimeMs: number;
  readonly mirroredAtMs: number;
  /** Kafka's acknowledgement of the event; undefined: not yet (or no outbox row). */
  readonly sentAtMs: number | undefined;
}

export interface MirrorCommitLag {
  readonly window: { readonly from: string; readonly to: string };
  readonly transitions: number;
  readonly sentToKafka: number;
  /** Transitions whose block the bench did not see committed on the peer (not in the figures). */
  readonly withoutCommitTime: number;
  readonly blockCommitToPostgresSeconds: LagSeconds;
  readonly blockCommitToKafkaSeconds: LagSeconds;
}

const epochMs = (value: unknown, what: string): number => {
  if (typeof value !== 'number') throw new Error(`mirror lag row: ${what} is not a number`);
  return value;
};

export function mirrorRowsOf(rows: readonly unknown[]): MirrorRow[] {
  return rows.map((row) => {
    if (typeof row !== 'object' || row === null) throw new Error('mirror lag: not a row');
    const fields = row as Record<string, unknown>;
    const block = fields['block_number'];
    if (typeof block !== 'string' || !/^\d+$/.test(block))
      throw new Error('mirror lag row: block_number is not a block number');
    const sent = fields['sent_at_ms'];
    return {
      blockNumber: Number(block),
      txTimeMs: epochMs(fields['tx_time_ms'], 'tx_time_ms'),
      mirroredAtMs: epochMs(fields['mirrored_at_ms'], 'mirrored_at_ms'),
      sentAtMs: sent === null || sent === undefined ? undefined : epochMs(sent, 'sent_at_ms'),
    };
  });
}

/** Block commit → row and → Kafka for the transitions timestamped in [from, to). */
export function mirrorCommitLagOf(
  rows: readonly MirrorRow[],
  commits: ReadonlyMap<number, number>,
  from: Date,
  to: Date,
): MirrorCommitLag {
  const inWindow = timestampedIn(rows, from, to);
  const toPostgres = lagFromCommit(inWindow, commits, (row) => row.mirroredAtMs);
  const toKafka = lagFromCommit(inWindow, commits, (row) => row.sentAtMs);
  return {
    window: { from: from.toISOString(), to: to.toISOString() },
    transitions: inWindow.length,
    sentToKafka: toKafka.done,
    withoutCommitTime: toPostgres.withoutCommitTime,
    blockCommitToPostgresSeconds: toPostgres.seconds,
    blockCommitToKafkaSeconds: toKafka.seconds,
  };
}

export async function queryMirrorRows(db: SqlClient, from: Date, to: Date): Promise<MirrorRow[]> {
  return mirrorRowsOf((await db.query(MIRROR_ROWS_SQL, [from, to])).rows);
}

/** Markdown lines: what was counted, and one row per span. */
export function mirrorCommitLagTable(label: string, lag: MirrorCommitLag): string[] {
  const row = (span: string, s: LagSeconds) =>
    `| ${span} | ${String(s.p50)} | ${String(s.p95)} | ${String(s.p99)} | ${String(s.max)} |`;
  return [
    `${label}: ${String(lag.transitions)} transitions timestamped ${lag.window.from} – ${lag.window.to}, ${String(lag.sentToKafka)} acknowledged by Kafka, ${String(lag.withoutCommitTime)} without a commit time seen (left out).`,
    '',
    '| span (s) | p50 | p95 | p99 | max |',
    '| --- | --- | --- | --- | --- |',
    row("block commit on Oversight's peer → PostgreSQL row", lag.blockCommitToPostgresSeconds),
    row("block commit on Oversight's peer → Kafka acknowledged", lag.blockCommitToKafkaSeconds),
  ];
}

/** The summary's row: p50 and p99 of block commit → row and → Kafka, or why they are missing. */
export function mirrorCommitLagSummary(
  lag: MirrorCommitLag | { readonly error: string } | undefined,
): Readonly<Record<string, number>> | string {
  if (lag === undefined) return 'not measured: the gateway layer did not run';
  if ('error' in lag) return `not measured: ${lag.error}`;
  return {
    toPostgresP50: lag.blockCommitToPostgresSeconds.p50,
    toPostgresP99: lag.blockCommitToPostgresSeconds.p99,
    toKafkaP99: lag.blockCommitToKafkaSeconds.p99,
  };
}
