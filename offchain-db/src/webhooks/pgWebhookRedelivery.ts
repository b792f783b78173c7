// The partner's side of the delivery log, as the gateway's events API reaches it: which of a
// marketplace's deliveries failed, and redelivery of chosen events to one of its own subscriptions.
// Redelivery only re-queues deliveries (from the outbox, the message Kafka carried); the notifier signs
// and sends them as it sends every delivery, in each escrow's ledger order.
import type { Pool } from 'pg';

/** The most failed event ids one query considers: the newest ones. */
export const FAILED_EVENT_IDS_LIMIT = 10_000;

export interface WebhookRedelivery {
  /**
   * The events whose delivery to one of `marketplace`'s active subscriptions failed and is not yet
   * done: given up (`dead`) or waiting for another attempt after a failed one (`retrying`).
   */
  failedEventIds(marketplace: string): Promise<string[]>;
  /**
   * Queues `eventIds` again for `marketplace`'s subscription `subscriptionId` (only events of escrows
   * of that marketplace, of the types the subscription takes); undefined when the marketplace has no
   * such active subscription, else how many deliveries were queued.
   */
  redeliver(
    marketplace: string,
    subscriptionId: string,
    eventIds: readonly string[],
  ): Promise<number | undefined>;
}

export class PgWebhookRedelivery implements WebhookRedelivery {
  constructor(private readonly pool: Pool) {}

  async failedEventIds(marketplace: string): Promise<string[]> {
    const result = await this.pool.query<{ event_id: string }>(
      `SELECT d.event_id FROM webhook_deliveries d
       JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active AND s.marketplace = $1
       WHERE d.status = 'dead' OR (d.status = 'retrying' AND d.attempts > 0)
       GROUP BY d.event_id
       ORDER BY max(d.block_number) DESC
       LIMIT $2`,
      [marketplace, FAILED_EVENT_IDS_LIMIT],
    );
    return result.rows.map((row) => row.event_id);
  }

  async redeliver(
    marketplace: string,
    subscriptionId: string,
    eventIds: readonly string[],
  ): Promise<number | undefined> {
    if (!/^\d{1,18}$/.test(subscriptionId)) return undefined;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const owned = await client.query(
        'SELECT 1 FROM webhook_subscriptions WHERE id = $1 AND marketplace = $2 AND active FOR SHARE',
        [subscriptionId, marketplace],
      );
      if (owned.rowCount !== 1) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const queued = await client.query(
        `INSERT INTO webhook_deliveries AS d (subscription_id, event_id, event_type, block_number, escrow_id,
           tx_index, event_index, payload, status, next_attempt_at)
         SELECT s.id, o.event_id, o.event_type, o.block_number, o.key,
           COALESCE((o.payload->>'txIndex')::int, 0),
           COALESCE(NULLIF(split_part(o.event_id, ':', 2), '')::int, 0), o.payload, 'pending', now()
         FROM outbox o
         JOIN escrows e ON e.escrow_id = o.key
         JOIN webhook_subscriptions s ON s.id = $1 AND s.marketplace IN (e.buyer_marketplace, e.seller_marketplace)
           AND (cardinality(s.event_types) = 0 OR o.event_type = ANY (s.event_types))
         WHERE o.event_id = ANY($2::text[])
         ORDER BY o.id
         ON CONFLICT (subscription_id, event_id) DO UPDATE SET status = 'pending', attempts = 0,
           round = d.round + 1, next_attempt_at = now(), last_status_code = NULL, last_error = NULL, delivered_at = NULL,
           created_at = now(), updated_at = now()`,
        [subscriptionId, [...eventIds]],
      );
      await client.query('COMMIT');
      return queued.rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
