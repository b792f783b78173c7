// The PostgreSQL adapter of the webhook subscriptions (the webhook_subscriptions table the notifier
// reads). Secrets are generated here, sealed bound to the subscription id, and only ever returned in
// plain text by the call that created them. An endpoint is checked before it is stored (public
// addresses only, unless allowed) and a marketplace holds a bounded number of them.
import type { KeyProvider } from '@p2p-escrow/fabric-client';
import type { Pool } from 'pg';
import type { WebhookEndpointConfig } from '../config/offchainConfig';
import { checkEndpointUrl, systemLookup, type LookupAll } from './endpointPolicy';
import { newWebhookSecret, sealWebhookSecret } from './webhookSecrets';
import {
  WebhookLimitReachedError,
  type NewSubscription,
  type SubscriptionWithSecret,
  type WebhookSubscription,
  type WebhookSubscriptionStore,
} from './webhookSubscriptions';

interface Row {
  id: string;
  marketplace: string;
  url: string;
  event_types: string[];
  retry_base_ms: number;
  max_attempts: number | null;
  created_at: Date;
  secret_rotated_at: Date | null;
  previous_secret_expires_at: Date | null;
}

const COLUMNS = `id::text AS id, marketplace, url, event_types, retry_base_ms, max_attempts, created_at,
  secret_rotated_at, previous_secret_expires_at`;

function subscriptionOf(row: Row): WebhookSubscription {
  return {
    id: row.id,
    marketplace: row.marketplace,
    url: row.url,
    eventTypes: row.event_types,
    retryBaseMs: row.retry_base_ms,
    maxAttempts: row.max_attempts,
    createdAt: row.created_at.toISOString(),
    secretRotatedAt: row.secret_rotated_at?.toISOString() ?? null,
    previousSecretExpiresAt: row.previous_secret_expires_at?.toISOString() ?? null,
  };
}

export class PgWebhookStore implements WebhookSubscriptionStore {
  constructor(
    private readonly pool: Pool,
    private readonly keys: KeyProvider,
    /** Which endpoints may be registered, and how many per marketplace (webhookEndpointConfig). */
    private readonly endpoints: WebhookEndpointConfig,
    private readonly lookup: LookupAll = systemLookup,
  ) {}

  async create(input: NewSubscription): Promise<SubscriptionWithSecret> {
    await checkEndpointUrl(input.url, this.endpoints.policy, this.lookup);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One registration per marketplace at a time, so two concurrent ones cannot both pass the limit.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhooks:${input.marketplace}`]);
      const held = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM webhook_subscriptions WHERE marketplace = $1 AND active',
        [input.marketplace],
      );
      const limit = this.endpoints.maxSubscriptionsPerMarketplace;
      if ((held.rows[0]?.n ?? 0) >= limit) throw new WebhookLimitReachedError(limit);
      const id = (
        await client.query<{ id: string }>(
          `SELECT nextval(pg_get_serial_sequence('webhook_subscriptions', 'id'))::text AS id`,
        )
      ).rows[0]?.id;
      if (id === undefined) throw new Error('no subscription id');
      const secret = newWebhookSecret();
      const result = await client.query<Row>(
        `INSERT INTO webhook_subscriptions (id, marketplace, url, event_types, secret, retry_base_ms, max_attempts)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, 10000), $7) RETURNING ${COLUMNS}`,
        [
          id,
          input.marketplace,
          input.url,
          input.eventTypes,
          await sealWebhookSecret(this.keys, id, secret),
          input.retryBaseMs ?? null,
          input.maxAttempts ?? null,
        ],
      );
      const row = result.rows[0];
      if (row === undefined) throw new Error('subscription not stored');
      await client.query('COMMIT');
      return { subscription: subscriptionOf(row), secret };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async list(marketplace: string): Promise<WebhookSubscription[]> {
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE marketplace = $1 AND active ORDER BY id`,
      [marketplace],
    );
    return result.rows.map(subscriptionOf);
  }

  /**
   * Deactivates and cancels its deliveries not yet made, in one statement (the delivery log stays);
   * false when the marketplace has no such subscription.
   */
  async remove(marketplace: string, id: string): Promise<boolean> {
    const result = await this.pool.query<{ removed: number }>(
      `WITH removed AS (
         UPDATE webhook_subscriptions SET active = false, updated_at = now()
         WHERE id = $1 AND marketplace = $2 AND active RETURNING id
       ), cancelled AS (
         UPDATE webhook_deliveries d SET status = 'cancelled', next_attempt_at = NULL,
           last_error = 'subscription deleted', updated_at = now()
         FROM removed WHERE d.subscription_id = removed.id AND d.status IN ('pending', 'retrying')
       )
       SELECT count(*)::int AS removed FROM removed`,
      [id, marketplace],
    );
    return (result.rows[0]?.removed ?? 0) > 0;
  }

  /** A new secret; the current one stays valid for `graceSeconds` beside it. */
  async rotate(
    marketplace: string,
    id: string,
    graceSeconds: number,
  ): Promise<SubscriptionWithSecret | undefined> {
    const secret = newWebhookSecret();
    const result = await this.pool.query<Row>(
      `UPDATE webhook_subscriptions SET previous_secret = secret, secret = $3, secret_rotated_at = now(),
         previous_secret_expires_at = now() + $4 * interval '1 second', updated_at = now()
       WHERE id = $1 AND marketplace = $2 AND active RETURNING ${COLUMNS}`,
      [id, marketplace, await sealWebhookSecret(this.keys, id, secret), graceSeconds],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : { subscription: subscriptionOf(row), secret };
  }
}
