// Partner webhook subscriptions as the gateway's routes manage them: one marketplace's endpoints,
// each with its signing secret (returned in plain text only by the call that made it). The
// PostgreSQL adapter is webhooks/pgWebhookStore.ts.

export interface WebhookSubscription {
  readonly id: string;
  readonly marketplace: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly retryBaseMs: number;
  readonly maxAttempts: number | null;
  readonly createdAt: string;
  readonly secretRotatedAt: string | null;
  readonly previousSecretExpiresAt: string | null;
}

export interface NewSubscription {
  readonly marketplace: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly retryBaseMs: number | undefined;
  readonly maxAttempts: number | undefined;
}

/** A subscription with the secret the partner verifies its webhooks with. */
export interface SubscriptionWithSecret {
  readonly subscription: WebhookSubscription;
  readonly secret: string;
}

export interface WebhookSubscriptionStore {
  /**
   * Registers an endpoint; refuses one whose host is or resolves to a forbidden address
   * (WebhookEndpointForbiddenError) and one over the marketplace's limit (WebhookLimitReachedError).
   */
  create(input: NewSubscription): Promise<SubscriptionWithSecret>;
  /** The marketplace's active subscriptions, oldest first. */
  list(marketplace: string): Promise<WebhookSubscription[]>;
  /** Deactivates it and cancels its pending deliveries; false when the marketplace has no such one. */
  remove(marketplace: string, id: string): Promise<boolean>;
  /** A new secret; the current one stays valid for `graceSeconds` beside it. */
  rotate(marketplace: string, id: string, graceSeconds: number): Promise<SubscriptionWithSecret | undefined>;
}

export const WEBHOOK_LIMIT_REACHED = 'WEBHOOK_LIMIT_REACHED';

/** The marketplace already holds as many active subscriptions as one may. */
export class WebhookLimitReachedError extends Error {
  readonly code = WEBHOOK_LIMIT_REACHED;
  constructor(readonly limit: number) {
    super(`a marketplace may hold at most ${limit} webhook subscriptions; delete one first`);
    this.name = 'WebhookLimitReachedError';
  }
}
