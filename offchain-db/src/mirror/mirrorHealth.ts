// Is the mirror advancing? Read from what it records in PostgreSQL (mirrorProgress.ts), so any
// process with a pool on the projection can tell: the relay, notifier and keeper (their /readyz) and
// the gateway (its /readyz). Everything downstream of the mirror is stopped when it is not.
import type { Pool } from 'pg';

export interface MirrorHealthOptions {
  /** How long a failing block, a height not reached or a silent mirror is tolerated. */
  readonly maxLagMs: number;
}

export interface MirrorHealth {
  readonly advancing: boolean;
  readonly detail: string;
}

interface ProgressRow {
  channel: string;
  last_block: string | null;
  peer_height: string | null;
  behind_height: string | null;
  behind_ms: number | null;
  failing_block: string | null;
  failing_ms: number | null;
  last_error: string | null;
  silent_ms: number;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/** Why the mirror of this channel is not advancing: empty when it is. */
function stalled(row: ProgressRow, maxLagMs: number): string[] {
  const reasons: string[] = [];
  if (row.failing_ms !== null && row.failing_ms > maxLagMs)
    reasons.push(
      `block ${String(row.failing_block)} has failed for ${seconds(row.failing_ms)}: ${String(row.last_error)}`,
    );
  const target = row.behind_height === null ? undefined : BigInt(row.behind_height) - 1n;
  if (
    target !== undefined &&
    row.behind_ms !== null &&
    row.behind_ms > maxLagMs &&
    BigInt(row.last_block ?? -1) < target
  )
    reasons.push(
      `checkpoint ${String(row.last_block)} has not reached block ${target} seen ${seconds(row.behind_ms)} ago`,
    );
  if (row.silent_ms > maxLagMs) reasons.push(`the mirror has not reported for ${seconds(row.silent_ms)}`);
  return reasons;
}

export async function mirrorHealth(pool: Pool, options: MirrorHealthOptions): Promise<MirrorHealth> {
  const rows = (
    await pool.query<ProgressRow>(
      `SELECT p.channel, c.last_block::text, p.peer_height::text, p.behind_height::text,
         (extract(epoch FROM now() - p.behind_since) * 1000)::float8 AS behind_ms,
         p.failing_block::text, (extract(epoch FROM now() - p.failing_since) * 1000)::float8 AS failing_ms,
         p.last_error, (extract(epoch FROM now() - p.reported_at) * 1000)::float8 AS silent_ms
       FROM mirror_progress p LEFT JOIN checkpoint c USING (channel) ORDER BY p.channel`,
    )
  ).rows;
  if (rows.length === 0) return { advancing: false, detail: 'the mirror has not reported yet' };
  const problems = rows.flatMap((row) =>
    stalled(row, options.maxLagMs).map((why) => `${row.channel}: ${why}`),
  );
  if (problems.length > 0)
    return { advancing: false, detail: `mirror not advancing: ${problems.join('; ')}` };
  return {
    advancing: true,
    detail: rows
      .map(
        (row) =>
          `${row.channel}: checkpoint ${String(row.last_block)}, peer height ${String(row.peer_height)}`,
      )
      .join('; '),
  };
}

/** Where the mirror of one channel stands: its checkpoint and the peer height it last saw. */
export interface MirrorPosition {
  readonly channel: string;
  /** The last block applied to the projection; null before the first. */
  readonly checkpoint: string | null;
  /** The peer's height at the mirror's last report. */
  readonly peerHeight: string | null;
  /** How long ago the mirror last reported, in milliseconds. */
  readonly reportedMsAgo: number;
}

/** The mirror's position per channel, for the operator's view of its lag. */
export async function mirrorPositions(pool: Pool): Promise<MirrorPosition[]> {
  const rows = (
    await pool.query<{
      channel: string;
      last_block: string | null;
      peer_height: string | null;
      silent_ms: number;
    }>(
      `SELECT p.channel, c.last_block::text, p.peer_height::text,
         (extract(epoch FROM now() - p.reported_at) * 1000)::float8 AS silent_ms
       FROM mirror_progress p LEFT JOIN checkpoint c USING (channel) ORDER BY p.channel`,
    )
  ).rows;
  return rows.map((row) => ({
    channel: row.channel,
    checkpoint: row.last_block,
    peerHeight: row.peer_height,
    reportedMsAgo: Math.round(row.silent_ms),
  }));
}
