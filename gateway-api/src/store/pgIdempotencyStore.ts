// Idempotency records in PostgreSQL (table gateway.idempotency_keys). A key is claimed by inserting
// its row; an expired row is replaced in the same statement, so keys live for their TTL only.
import type { Pool } from 'pg';
import type { BeginResult, IdempotencyStore, StoredResponse } from '../idempotency/idempotencyStore';

interface KeyRow {
  request_hash: string;
  status: number | null;
  response_body: unknown;
  content_type: string | null;
  inserted: boolean;
}

export class PgIdempotencyStore implements IdempotencyStore {
  constructor(private readonly pool: Pool) {}

  async begin(scope: string, key: string, requestHash: string, ttlSeconds: number): Promise<BeginResult> {
    // xmax = 0 tells a freshly inserted row from an existing one.
    const { rows } = await this.pool.query<KeyRow>(
      `INSERT INTO gateway.idempotency_keys (scope, idem_key, request_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (scope, idem_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = NULL, response_body = NULL, content_type = NULL,
             created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE gateway.idempotency_keys.expires_at <= now()
       RETURNING request_hash, status, response_body, content_type, (xmax = 0) AS inserted`,
      [scope, key, requestHash, ttlSeconds],
    );
    if (rows[0] !== undefined) return { kind: 'started' };
    const existing = await this.pool.query<KeyRow>(
      `SELECT request_hash, status, response_body, content_type, false AS inserted
       FROM gateway.idempotency_keys WHERE scope = $1 AND idem_key = $2`,
      [scope, key],
    );
    const row = existing.rows[0];
    if (row === undefined) return this.begin(scope, key, requestHash, ttlSeconds);
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status === null) return { kind: 'in-progress' };
    return {
      kind: 'replay',
      response: {
        status: row.status,
        body: row.response_body,
        contentType: row.content_type ?? 'application/json',
      },
    };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `UPDATE gateway.idempotency_keys SET status = $3, response_body = $4, content_type = $5
       WHERE scope = $1 AND idem_key = $2`,
      [scope, key, response.status, JSON.stringify(response.body), response.contentType],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.pool.query(
      'DELETE FROM gateway.idempotency_keys WHERE scope = $1 AND idem_key = $2 AND status IS NULL',
      [scope, key],
    );
  }
}
