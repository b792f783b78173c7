// The mirror's progress in PostgreSQL (table mirror_progress), for mirrorHealth(): a heartbeat with
// the peer height (every poll), the block it fails on with the error (each failure), cleared once a
// block is applied again. A write that fails is logged, never fatal: a silent mirror reads as stalled.
import type { Pool } from 'pg';
import { CheckpointConflictError } from '../store/projectionStore';
import { storableText } from '../store/storableJson';
import type { Log, MirrorObserver } from './mirror';

const CHECKPOINT = `c AS (SELECT COALESCE((SELECT last_block FROM checkpoint WHERE channel = $1), -1) AS last_block)`;

export class PgMirrorProgress implements MirrorObserver {
  private failing = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly log: Log,
  ) {}

  /**
   * The peer's height as just read. The oldest height not reached yet is kept with the time it was
   * first seen, so a mirror that keeps applying under a steady load is not taken for a stalled one.
   */
  async peerHeight(height: bigint): Promise<void> {
    await this.pool.query(
      `WITH ${CHECKPOINT}
       INSERT INTO mirror_progress AS p (channel, reported_at, peer_height, behind_height, behind_since)
       SELECT $1, now(), $2::bigint, CASE WHEN $2::bigint - 1 > c.last_block THEN $2::bigint END,
         CASE WHEN $2::bigint - 1 > c.last_block THEN now() END
       FROM c
       ON CONFLICT (channel) DO UPDATE SET reported_at = now(), peer_height = EXCLUDED.peer_height,
         behind_height = CASE WHEN p.behind_height - 1 > (SELECT last_block FROM c) THEN p.behind_height
           ELSE EXCLUDED.behind_height END,
         behind_since = CASE WHEN p.behind_height - 1 > (SELECT last_block FROM c) THEN p.behind_since
           ELSE EXCLUDED.behind_since END`,
      [this.channel, height.toString()],
    );
  }

  blockApplied(): void {
    if (!this.failing) return;
    this.failing = false;
    this.record(
      `UPDATE mirror_progress SET failing_block = NULL, failing_since = NULL, reported_at = now()
       WHERE channel = $1`,
      [this.channel],
    );
  }

  streamOpened(): void {
    // Nothing to record: a stream opening says nothing about a block being applied.
  }

  failed(error: unknown): void {
    // A lost compare-and-set means another writer advanced: progress, not a failure.
    if (error instanceof CheckpointConflictError) return;
    this.failing = true;
    const message = storableText(error instanceof Error ? error.message : String(error)).slice(0, 1000);
    this.record(
      `WITH ${CHECKPOINT}
       INSERT INTO mirror_progress AS p (channel, failing_block, failing_since, last_error, last_error_at)
       SELECT $1, c.last_block + 1, now(), $2, now() FROM c
       ON CONFLICT (channel) DO UPDATE SET reported_at = now(), failing_block = EXCLUDED.failing_block,
         failing_since = CASE WHEN p.failing_block = EXCLUDED.failing_block
           THEN COALESCE(p.failing_since, now()) ELSE now() END,
         last_error = EXCLUDED.last_error, last_error_at = now()`,
      [this.channel, message],
    );
  }

  private record(sql: string, values: unknown[]): void {
    this.pool.query(sql, values).catch((error: unknown) => {
      this.log.warn({ err: String(error) }, 'could not record the mirror progress');
    });
  }
}

/** One observer fed to several: the mirror's metrics and its progress. */
export function allOf(...observers: readonly MirrorObserver[]): MirrorObserver {
  return {
    blockApplied: (...args) => {
      for (const observer of observers) observer.blockApplied(...args);
    },
    streamOpened: (startBlock) => {
      for (const observer of observers) observer.streamOpened(startBlock);
    },
    failed: (error) => {
      for (const observer of observers) observer.failed(error);
    },
  };
}
