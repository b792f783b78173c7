// Idempotency records in PostgreSQL (table <schema>.idempotency_keys, the gateway's own schema). A key is claimed by inserting
// its row; in the same statement an expired row is replaced and a row whose in-progress lease ran out
// (its request crashed or hung) is taken over by a retry with the same body, as the next attempt.
import type { Pool } from 'pg';
import type {
  BeginResult,
  IdempotencyStore,
  IdempotencyTimes,
  StoredResponse,
} from '../idempotency/idempotencyStore';

interface KeyRow {
  request_hash: string;
  status: number | null;
  response_body: unknown;
  content_type: string | null;
  attempt: number;
  lease_left_seconds: number;
}

export class PgIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema = 'gateway',
  ) {}

  async begin(
    scope: string,
    key: string,
    requestHash: string,
    times: IdempotencyTimes,
  ): Promise<BeginResult> {
    const { rows } = await this.pool.query<{ attempt: number }>(
      `INSERT INTO ${this.schema}.idempotency_keys AS k
         (scope, idem_key, request_hash, expires_at, lease_expires_at, attempt)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5), 1)
       ON CONFLICT (scope, idem_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = NULL, response_body = NULL, content_type = NULL,
             lease_expires_at = EXCLUDED.lease_expires_at,
             created_at = CASE WHEN k.expires_at <= now() THEN now() ELSE k.created_at END,
             expires_at = CASE WHEN k.expires_at <= now() THEN EXCLUDED.expires_at ELSE k.expires_at END,
             attempt = CASE WHEN k.expires_at <= now() THEN 1 ELSE k.attempt + 1 END
         WHERE k.expires_at <= now()
            OR (k.status IS NULL AND k.lease_expires_at <= now() AND k.request_hash = EXCLUDED.request_hash)
       RETURNING attempt`,
      [scope, key, requestHash, times.ttlSeconds, times.leaseSeconds],
    );
    const claimed = rows[0];
    if (claimed !== undefined)
      return { kind: 'started', attempt: claimed.attempt, resumed: claimed.attempt > 1 };
    const existing = await this.pool.query<KeyRow>(
      `SELECT request_hash, status, response_body, content_type, attempt,
              GREATEST(0, EXTRACT(EPOCH FROM lease_expires_at - now()))::float8 AS lease_left_seconds
       FROM ${this.schema}.idempotency_keys WHERE scope = $1 AND idem_key = $2`,
      [scope, key],
    );
    const row = existing.rows[0];
    // Expired and deleted between the two statements: claim it afresh.
    if (row === undefined) return this.begin(scope, key, requestHash, times);
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status === null)
      return { kind: 'in-progress', retryAfterSeconds: Math.max(1, Math.ceil(row.lease_left_seconds)) };
    return {
      kind: 'replay',
      response: {
        status: row.status,
        body: row.response_body,
        contentType: row.content_type ?? 'application/json',
      },
    };
  }

  async complete(scope: string, key: string, attempt: number, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.schema}.idempotency_keys SET status = $4, response_body = $5, content_type = $6
       WHERE scope = $1 AND idem_key = $2 AND attempt = $3 AND status IS NULL`,
      [scope, key, attempt, response.status, JSON.stringify(response.body), response.contentType],
    );
  }

  async release(scope: string, key: string, attempt: number): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.schema}.idempotency_keys
       WHERE scope = $1 AND idem_key = $2 AND attempt = $3 AND status IS NULL`,
      [scope, key, attempt],
    );
  }
}
