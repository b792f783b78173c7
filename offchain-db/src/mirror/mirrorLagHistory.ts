// The mirror's lag over recent minutes, from the projection itself: every transition row keeps the
// transaction's time and when the mirror wrote it (mirrored_at), so the history survives restarts and
// reads the same through every gateway, with no sampler of its own to keep alive.
import type { Pool } from 'pg';

/** One slice of time: the transitions the mirror wrote in it and how long after their transaction. */
export interface MirrorLagBucket {
  /** The slice's start (ISO 8601, UTC). */
  readonly start: string;
  /** Transition rows written in the slice. */
  readonly transitions: number;
  /**
   * Transaction time → row written, in milliseconds: ordering and the block's cut included (the
   * transaction's time is its proposal's), so about the BatchTimeout even when the mirror keeps up.
   */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface MirrorLagWindow {
  /** How far back the history goes. */
  readonly minutes: number;
  /** The width of one slice. */
  readonly bucketSeconds: number;
}

export const DEFAULT_MIRROR_LAG_WINDOW: MirrorLagWindow = { minutes: 30, bucketSeconds: 60 };

/** Slices with no transition are left out: no rows means nothing to be late, not a lag of zero. */
export async function mirrorLagHistory(
  pool: Pool,
  window: MirrorLagWindow = DEFAULT_MIRROR_LAG_WINDOW,
): Promise<MirrorLagBucket[]> {
  if (!(window.minutes > 0 && window.bucketSeconds > 0)) {
    throw new RangeError(
      `a lag window needs positive minutes and slice seconds, not ${JSON.stringify(window)}`,
    );
  }
  const rows = (
    await pool.query<{ start: Date; transitions: number; p50: number; p95: number; max: number }>(
      `WITH lag AS (
         SELECT to_timestamp(floor(extract(epoch FROM mirrored_at)::float8 / $2::float8) * $2::float8) AS start,
           extract(epoch FROM mirrored_at - tx_time)::float8 * 1000 AS ms
         FROM transitions WHERE mirrored_at >= now() - make_interval(secs => $1::float8 * 60))
       SELECT start, count(*)::int AS transitions,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float8 AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::float8 AS p95,
         max(ms)::float8 AS max
       FROM lag GROUP BY start ORDER BY start`,
      [window.minutes, window.bucketSeconds],
    )
  ).rows;
  return rows.map((row) => ({
    start: row.start.toISOString(),
    transitions: row.transitions,
    p50Ms: Math.round(row.p50),
    p95Ms: Math.round(row.p95),
    maxMs: Math.round(row.max),
  }));
}
