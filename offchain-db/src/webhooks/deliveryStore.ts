// The notifier's port to the subscriptions and the delivery log; the PostgreSQL adapter is
// webhooks/pgDeliveryStore.ts.
import type { RetryDecision, RetrySettings } from './retryPolicy';

/** One escrow event as the outbox relay publishes it on Kafka. */
export interface EscrowEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly escrowId: string;
  readonly blockNumber: bigint;
  readonly txIndex: number;
  readonly eventIndex: number;
  readonly payload: Record<string, unknown>;
}

export interface DueDelivery {
  readonly id: bigint;
  readonly subscriptionId: bigint;
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: unknown;
  /** Attempts made before this one. */
  readonly attempts: number;
  /** The queueing this attempt belongs to; a redelivery or replay starts the next one. */
  readonly round: number;
  readonly enqueuedAt: Date;
  readonly url: string;
  /** Every secret valid now: the current one first, then the previous one during its grace period. */
  readonly secrets: readonly string[];
  readonly retry: RetrySettings;
}

/** What identifies one attempt: the delivery and the round it was claimed in. */
export type ClaimedAttempt = Pick<DueDelivery, 'id' | 'round'>;

/** How many more requests each endpoint may take: `perEndpoint` less what is in flight to it. */
export interface EndpointCapacity {
  readonly perEndpoint: number;
  /** Requests in flight per subscription id. */
  readonly inFlight: ReadonlyMap<bigint, number>;
}

export type ReplayFrom = { readonly blockNumber: bigint } | { readonly eventId: string };

export interface DeliveryStore {
  /** Inserts one delivery per matching subscription, skipping those it already has (dedupe on event id). */
  enqueue(event: EscrowEvent): Promise<number>;
  /**
   * Leases up to `limit` due deliveries for `leaseMs`, only the earliest undelivered event of each
   * (subscription, escrow), so one escrow's events reach a partner in ledger order, and no more per
   * subscription than its endpoint's capacity allows.
   */
  claimDue(limit: number, leaseMs: number, capacity: EndpointCapacity): Promise<DueDelivery[]>;
  /**
   * Records an attempt's outcome; nothing when the delivery was queued again since the attempt was
   * claimed (the new round's attempt decides), and a failure nothing once it was cancelled.
   */
  recordSuccess(attempt: ClaimedAttempt, statusCode: number): Promise<void>;
  recordFailure(
    attempt: ClaimedAttempt,
    statusCode: number | undefined,
    error: string,
    decision: RetryDecision,
  ): Promise<void>;
  /** Re-enqueues every outbox event from the given point for the matching subscriptions. */
  replay(from: ReplayFrom, subscriptionId?: bigint): Promise<number>;
  counts(): Promise<Readonly<Record<string, number>>>;
  close(): Promise<void>;
}
