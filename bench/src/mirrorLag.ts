// Exact mirror lag of the transactions committed in a time window, computed by PostgreSQL from the rows
// themselves: transaction timestamp → transitions row (mirrored_at), → Kafka acknowledgement (the
// outbox row's sent_at) and outbox row → Kafka (sent_at − created_at). An outbox row belongs to the
// transition with the same block and the event id `<txId>:<eventIndex>` (offchain-db's eventIdOf).

/** The one thing the bench needs from a PostgreSQL pool; pg's `Pool` fits it. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface LagSeconds {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface MirrorLag {
  readonly window: { readonly from: string; readonly to: string };
  /** Transitions whose transaction timestamp falls in the window, and the blocks holding them. */
  readonly transitions: number;
  readonly firstBlock: number | null;
  readonly lastBlock: number | null;
  /** Of those, how many have their outbox row, and how many Kafka acknowledged before the query. */
  readonly outboxed: number;
  readonly sentToKafka: number;
  readonly txToPostgresSeconds: LagSeconds;
  readonly txToKafkaSeconds: LagSeconds;
  readonly postgresToKafkaSeconds: LagSeconds;
}

const PERCENTILES = 'ARRAY[0.5, 0.95, 0.99]::float8[]';

/** $1, $2: the window's bounds, on the transaction timestamp (the client's, as the chaincode sees it). */
export const MIRROR_LAG_SQL = `
  WITH produced AS (
    SELECT t.block_number, t.tx_time, t.mirrored_at, o.created_at, o.sent_at
    FROM transitions t
    LEFT JOIN outbox o
      ON o.block_number = t.block_number AND o.event_id = t.tx_id || ':' || t.event_index
    WHERE t.tx_time >= $1 AND t.tx_time < $2
  ), lag AS (
    SELECT block_number, created_at, sent_at,
      extract(epoch FROM mirrored_at - tx_time)::float8 AS tx_to_postgres,
      extract(epoch FROM sent_at - tx_time)::float8 AS tx_to_kafka,
      extract(epoch FROM sent_at - created_at)::float8 AS postgres_to_kafka
    FROM produced
  )
  SELECT count(*)::int AS transitions,
    count(created_at)::int AS outboxed,
    count(sent_at)::int AS sent,
    min(block_number)::text AS first_block,
    max(block_number)::text AS last_block,
    percentile_cont(${PERCENTILES}) WITHIN GROUP (ORDER BY tx_to_postgres) AS tx_to_postgres,
    max(tx_to_postgres) AS tx_to_postgres_max,
    percentile_cont(${PERCENTILES}) WITHIN GROUP (ORDER BY tx_to_kafka) AS tx_to_kafka,
    max(tx_to_kafka) AS tx_to_kafka_max,
    percentile_cont(${PERCENTILES}) WITHIN GROUP (ORDER BY postgres_to_kafka) AS postgres_to_kafka,
    max(postgres_to_kafka) AS postgres_to_kafka_max
  FROM lag`;

const milliseconds = (seconds: number) => Math.round(seconds * 1000) / 1000;

function numberField(row: Record<string, unknown>, name: string): number {
  const value = row[name];
  if (value === null) return Number.NaN;
  if (typeof value !== 'number') throw new Error(`mirror lag row: ${name} is not a number`);
  return milliseconds(value);
}

function blockField(row: Record<string, unknown>, name: string): number | null {
  const value = row[name];
  if (value === null) return null;
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new Error(`mirror lag row: ${name} is not a block number`);
  return Number(value);
}

function lagField(row: Record<string, unknown>, name: string): LagSeconds {
  const values = row[name];
  // percentile_cont over no rows is NULL.
  if (values === null) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  if (!Array.isArray(values) || values.length !== 3 || !values.every((v) => typeof v === 'number'))
    throw new Error(`mirror lag row: ${name} is not three percentiles`);
  const [p50, p95, p99] = values.map(milliseconds);
  return { p50: p50 ?? NaN, p95: p95 ?? NaN, p99: p99 ?? NaN, max: numberField(row, `${name}_max`) };
}

/** Reads the one row of MIRROR_LAG_SQL; seconds rounded to the millisecond. */
export function mirrorLagFromRow(row: unknown, from: Date, to: Date): MirrorLag {
  if (typeof row !== 'object' || row === null) throw new Error('mirror lag: no row');
  const fields = row as Record<string, unknown>;
  return {
    window: { from: from.toISOString(), to: to.toISOString() },
    transitions: numberField(fields, 'transitions'),
    firstBlock: blockField(fields, 'first_block'),
    lastBlock: blockField(fields, 'last_block'),
    outboxed: numberField(fields, 'outboxed'),
    sentToKafka: numberField(fields, 'sent'),
    txToPostgresSeconds: lagField(fields, 'tx_to_postgres'),
    txToKafkaSeconds: lagField(fields, 'tx_to_kafka'),
    postgresToKafkaSeconds: lagField(fields, 'postgres_to_kafka'),
  };
}

export async function queryMirrorLag(db: SqlClient, from: Date, to: Date): Promise<MirrorLag> {
  const result = await db.query(MIRROR_LAG_SQL, [from, to]);
  return mirrorLagFromRow(result.rows[0], from, to);
}

/** The summary's mirror lag row: the exact p99s, or why they are missing. */
export function mirrorLagSummary(
  lag: MirrorLag | { readonly error: string },
): Readonly<Record<string, number>> | string {
  if ('error' in lag) return `not measured: ${lag.error}`;
  return { txToPostgres: lag.txToPostgresSeconds.p99, txToKafka: lag.txToKafkaSeconds.p99 };
}

/** Markdown lines of the exact lag: one row per span. */
export function mirrorLagTable(lag: MirrorLag | { readonly error: string }): string[] {
  if ('error' in lag) return [`Exact lag not measured: ${lag.error}`];
  const row = (span: string, s: LagSeconds) =>
    `| ${span} | ${String(s.p50)} | ${String(s.p95)} | ${String(s.p99)} | ${String(s.max)} |`;
  const blocks =
    lag.firstBlock === null ? 'no blocks' : `blocks ${String(lag.firstBlock)}–${String(lag.lastBlock)}`;
  return [
    `Exact, from PostgreSQL (percentile_cont): ${String(lag.transitions)} transitions timestamped ${lag.window.from} – ${lag.window.to} (${blocks}), ${String(lag.outboxed)} in the outbox, ${String(lag.sentToKafka)} acknowledged by Kafka.`,
    '',
    '| span (s) | p50 | p95 | p99 | max |',
    '| --- | --- | --- | --- | --- |',
    row('transaction timestamp → PostgreSQL row', lag.txToPostgresSeconds),
    row('transaction timestamp → Kafka acknowledged', lag.txToKafkaSeconds),
    row('PostgreSQL outbox row → Kafka acknowledged', lag.postgresToKafkaSeconds),
  ];
}
