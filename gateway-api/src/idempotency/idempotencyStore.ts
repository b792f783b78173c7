// Port of the idempotency record store: one record per (caller scope, Idempotency-Key).

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly contentType: string;
}

export type BeginResult =
  | { readonly kind: 'started' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'mismatch' };

export interface IdempotencyStore {
  /** Claims the key for this request, or tells what an earlier request with the same key did. */
  begin(scope: string, key: string, requestHash: string, ttlSeconds: number): Promise<BeginResult>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Forgets a claim whose outcome must not be replayed (transient failures). */
  release(scope: string, key: string): Promise<void>;
}
