// Port of the idempotency record store: one record per (caller scope, Idempotency-Key).

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly contentType: string;
}

/** Lease beyond the longest a request may take (deadlines of endorse, submit and commit). */
export const IDEMPOTENCY_LEASE_MARGIN_SECONDS = 60;

/** How long a key lives, and how long one attempt may hold it before a retry may take it over. */
export interface IdempotencyTimes {
  readonly ttlSeconds: number;
  readonly leaseSeconds: number;
}

export type BeginResult =
  /** This request holds the key as `attempt`; `resumed` when an earlier attempt's lease ran out. */
  | { readonly kind: 'started'; readonly attempt: number; readonly resumed: boolean }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-progress'; readonly retryAfterSeconds: number }
  | { readonly kind: 'mismatch' };

export interface IdempotencyStore {
  /** Claims the key for this request, or tells what an earlier request with the same key did. */
  begin(scope: string, key: string, requestHash: string, times: IdempotencyTimes): Promise<BeginResult>;
  /** Stores the outcome, unless a later attempt has taken the key over meanwhile. */
  complete(scope: string, key: string, attempt: number, response: StoredResponse): Promise<void>;
  /** Forgets a claim whose outcome must not be replayed (transient failures). */
  release(scope: string, key: string, attempt: number): Promise<void>;
}
