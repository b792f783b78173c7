// The PostgreSQL adapter of the delivery store. Enqueueing is one statement (one transaction): the
// matching subscriptions and the dedupe on (subscription, event id) together.
import type { KeyProvider } from '@p2p-escrow/fabric-client';
import type { Pool } from 'pg';
import { storableJson } from '../store/storableJson';
import type {
  ClaimedAttempt,
  DeliveryStore,
  DueDelivery,
  EndpointCapacity,
  EscrowEvent,
  ReplayFrom,
} from './deliveryStore';
import type { RetryDecision } from './retryPolicy';
import { openWebhookSecret } from './webhookSecrets';

const MATCHING_SUBSCRIPTION = `s.active AND s.marketplace IN (e.buyer_marketplace, e.seller_marketplace)
  AND (cardinality(s.event_types) = 0 OR event_type_of = ANY (s.event_types))`;

interface DueRow {
  id: bigint;
  subscription_id: bigint;
  event_id: string;
  event_type: string;
  payload: unknown;
  attempts: number;
  round: number;
  created_at: Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_valid: boolean;
  retry_base_ms: number;
  max_attempts: number | null;
}

export class PgDeliveryStore implements DeliveryStore {
  constructor(
    private readonly pool: Pool,
    /** Opens the secrets the gateway sealed (the notifier never seals). */
    private readonly keys: KeyProvider,
  ) {}

  async enqueue(event: EscrowEvent): Promise<number> {
    const result = await this.pool.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, block_number, escrow_id,
         tx_index, event_index, payload, status, next_attempt_at)
       SELECT s.id, $1, event_type_of, $3, $4, $5, $6, $7, 'pending', now()
       FROM (SELECT $2::text AS event_type_of) t
       JOIN escrows e ON e.escrow_id = $4
       JOIN webhook_subscriptions s ON ${MATCHING_SUBSCRIPTION}
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [
        event.eventId,
        event.eventType,
        event.blockNumber.toString(),
        event.escrowId,
        event.txIndex,
        event.eventIndex,
        // An event published before the mirror made its texts storable must not stop the consumer.
        JSON.stringify(storableJson(event.payload).value),
      ],
    );
    return result.rowCount ?? 0;
  }

  async claimDue(limit: number, leaseMs: number, capacity: EndpointCapacity): Promise<DueDelivery[]> {
    const busy = [...capacity.inFlight.entries()];
    // Heads of queue ranked per subscription first, so a subscription with many due deliveries takes
    // only its free slots and leaves the rest of the limit to the others.
    const result = await this.pool.query<DueRow>(
      `WITH heads AS (
         SELECT d.id, d.next_attempt_at,
           row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.id) AS rank,
           $3::int - COALESCE(b.in_flight, 0) AS free
         FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active
         LEFT JOIN unnest($4::bigint[], $5::int[]) AS b(subscription_id, in_flight)
           ON b.subscription_id = d.subscription_id
         WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= now()
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries earlier
             WHERE earlier.subscription_id = d.subscription_id AND earlier.escrow_id = d.escrow_id
               AND earlier.status IN ('pending', 'retrying')
               AND (earlier.block_number, earlier.tx_index, earlier.event_index)
                 < (d.block_number, d.tx_index, d.event_index))),
       due AS (
         SELECT d.id FROM webhook_deliveries d JOIN heads h ON h.id = d.id
         WHERE h.rank <= h.free
         ORDER BY h.next_attempt_at, h.id
         LIMIT $1
         FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries w
       SET next_attempt_at = now() + $2 * interval '1 millisecond', updated_at = now()
       FROM due, webhook_subscriptions s
       WHERE w.id = due.id AND s.id = w.subscription_id
       RETURNING w.id, w.subscription_id, w.event_id, w.event_type, w.payload, w.attempts, w.round, w.created_at,
         s.url, s.secret, s.previous_secret,
         (s.previous_secret IS NOT NULL AND s.previous_secret_expires_at > now()) AS previous_valid,
         s.retry_base_ms, s.max_attempts`,
      [
        limit,
        leaseMs,
        capacity.perEndpoint,
        busy.map(([subscriptionId]) => subscriptionId.toString()),
        busy.map(([, inFlight]) => inFlight),
      ],
    );
    return Promise.all(result.rows.map((row) => this.dueOf(row)));
  }

  private async dueOf(row: DueRow): Promise<DueDelivery> {
    const secrets = [await openWebhookSecret(this.keys, row.subscription_id, row.secret)];
    if (row.previous_valid && row.previous_secret !== null)
      secrets.push(await openWebhookSecret(this.keys, row.subscription_id, row.previous_secret));
    return {
      id: row.id,
      subscriptionId: row.subscription_id,
      eventId: row.event_id,
      eventType: row.event_type,
      payload: row.payload,
      attempts: row.attempts,
      round: row.round,
      enqueuedAt: row.created_at,
      url: row.url,
      secrets,
      retry: { baseDelayMs: row.retry_base_ms, maxAttempts: row.max_attempts ?? undefined },
    };
  }

  async recordSuccess(attempt: ClaimedAttempt, statusCode: number): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = $2,
         last_error = NULL, next_attempt_at = NULL, delivered_at = now(), updated_at = now()
       WHERE id = $1 AND round = $3`,
      [attempt.id.toString(), statusCode, attempt.round],
    );
  }

  async recordFailure(
    attempt: ClaimedAttempt,
    statusCode: number | undefined,
    error: string,
    decision: RetryDecision,
  ): Promise<void> {
    // A delivery cancelled while it was being sent (its subscription deleted) stays cancelled.
    await this.pool.query(
      `UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status_code = $3,
         last_error = $4, next_attempt_at = $5, updated_at = now()
       WHERE id = $1 AND round = $6 AND status IN ('pending', 'retrying')`,
      [
        attempt.id.toString(),
        decision.kind === 'dead' ? 'dead' : 'retrying',
        statusCode ?? null,
        error.slice(0, 1000),
        decision.kind === 'dead' ? null : decision.nextAttemptAt,
        attempt.round,
      ],
    );
  }

  async replay(from: ReplayFrom, subscriptionId?: bigint): Promise<number> {
    const start =
      'blockNumber' in from
        ? { clause: 'o.block_number >= $1', value: from.blockNumber.toString() }
        : { clause: 'o.id >= (SELECT id FROM outbox WHERE event_id = $1)', value: from.eventId };
    const result = await this.pool.query(
      `INSERT INTO webhook_deliveries AS d (subscription_id, event_id, event_type, block_number, escrow_id,
         tx_index, event_index, payload, status, next_attempt_at)
       SELECT s.id, o.event_id, event_type_of, o.block_number, o.key,
         COALESCE((o.payload->>'txIndex')::int, 0), COALESCE(NULLIF(split_part(o.event_id, ':', 2), '')::int, 0),
         o.payload, 'pending', now()
       FROM (SELECT o.*, o.event_type AS event_type_of FROM outbox o) o
       JOIN escrows e ON e.escrow_id = o.key
       JOIN webhook_subscriptions s ON ${MATCHING_SUBSCRIPTION.replaceAll('event_type_of', 'o.event_type_of')}
       WHERE ${start.clause} AND ($2::bigint IS NULL OR s.id = $2::bigint)
       ORDER BY o.id
       ON CONFLICT (subscription_id, event_id) DO UPDATE SET status = 'pending', attempts = 0,
         round = d.round + 1, next_attempt_at = now(), last_status_code = NULL, last_error = NULL, delivered_at = NULL,
         created_at = now(), updated_at = now()`,
      [start.value, subscriptionId?.toString() ?? null],
    );
    return result.rowCount ?? 0;
  }

  async counts(): Promise<Readonly<Record<string, number>>> {
    const result = await this.pool.query<{ status: string; n: string }>(
      `SELECT status, count(*)::text AS n FROM webhook_deliveries GROUP BY status`,
    );
    return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.n)]));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
