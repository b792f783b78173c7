// The PostgreSQL adapter of the relay's outbox store. The lease is a session advisory lock on a
// dedicated connection: it is released when that connection ends, so a crashed relay's successor
// takes over without any cleanup.
import type { Pool, PoolClient } from 'pg';
import type { OutboxRow, OutboxStore } from './outboxStore';

const LEASE_KEY = 'p2p-escrow outbox relay';

export class PgOutboxStore implements OutboxStore {
  private leaseClient: PoolClient | undefined;

  constructor(private readonly pool: Pool) {}

  async holdLease(): Promise<boolean> {
    if (this.leaseClient !== undefined) return true;
    const client = await this.pool.connect();
    const result = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [LEASE_KEY],
    );
    if (result.rows[0]?.locked === true) {
      client.on('error', () => {
        this.leaseClient = undefined;
      });
      this.leaseClient = client;
      return true;
    }
    client.release();
    return false;
  }

  async unsent(limit: number): Promise<OutboxRow[]> {
    const result = await this.pool.query<{
      id: bigint;
      event_id: string;
      event_type: string;
      topic: string;
      key: string;
      payload: unknown;
      block_number: bigint;
    }>(
      `SELECT id, event_id, event_type, topic, key, payload, block_number FROM outbox
       WHERE sent_at IS NULL ORDER BY id LIMIT $1`,
      [limit],
    );
    return result.rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.event_type,
      topic: row.topic,
      key: row.key,
      payload: row.payload,
      blockNumber: row.block_number,
    }));
  }

  async markSent(ids: readonly bigint[]): Promise<void> {
    await this.pool.query('UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1)', [
      ids.map(String),
    ]);
  }

  async markFailed(ids: readonly bigint[], error: string): Promise<void> {
    await this.pool.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)', [
      ids.map(String),
      error.slice(0, 1000),
    ]);
  }

  async backlog(): Promise<number> {
    const result = await this.pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM outbox WHERE sent_at IS NULL',
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    this.leaseClient?.release(true);
    this.leaseClient = undefined;
    await this.pool.end();
  }
}
