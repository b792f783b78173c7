// The payment provider port's errors: each a class with a stable `code` the callers (the gateway's
// payment route, the settlement worker) map to their own answers without reading messages.

export type PaymentErrorCode =
  | 'PAYMENT_REQUEST_INVALID'
  | 'PAYMENT_PROVIDER_REFUSED'
  | 'PAYMENT_PROVIDER_UNAVAILABLE'
  | 'PAYMENT_IDEMPOTENCY_CONFLICT';

export abstract class PaymentError extends Error {
  abstract readonly code: PaymentErrorCode;
  /** Whether the same call (same idempotency key) may succeed when tried again later. */
  abstract readonly retryable: boolean;
}

/** The request cannot be sent: a bad amount, currency or identifier (the caller's mistake). */
export class PaymentRequestInvalidError extends PaymentError {
  readonly code = 'PAYMENT_REQUEST_INVALID';
  readonly retryable = false;
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'PaymentRequestInvalidError';
  }
}

/** The provider answered and refused (invalid request, card declined, no such account, no permission). */
export class ProviderRefusedError extends PaymentError {
  readonly code = 'PAYMENT_PROVIDER_REFUSED';
  readonly retryable = false;
  constructor(
    /** The provider's own code for the refusal, when it gave one (e.g. Stripe's `resource_missing`). */
    readonly providerCode: string | undefined,
    detail: string,
    readonly requestId?: string,
  ) {
    super(detail);
    this.name = 'ProviderRefusedError';
  }
}

/** The provider could not be reached or failed on its side (network, rate limit, 5xx): retry later. */
export class ProviderUnavailableError extends PaymentError {
  readonly code = 'PAYMENT_PROVIDER_UNAVAILABLE';
  readonly retryable = true;
  constructor(detail: string) {
    super(detail);
    this.name = 'ProviderUnavailableError';
  }
}

/** The idempotency key was used before with other parameters: a bug, never retried. */
export class IdempotencyConflictError extends PaymentError {
  readonly code = 'PAYMENT_IDEMPOTENCY_CONFLICT';
  readonly retryable = false;
  constructor(
    readonly idempotencyKey: string,
    detail: string,
  ) {
    super(`${idempotencyKey}: ${detail}`);
    this.name = 'IdempotencyConflictError';
  }
}

/** Why a provider event was refused; each refusal is a security event for the caller to log. */
export type WebhookRefusalCode =
  | 'WEBHOOK_SIGNATURE_MISSING'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_TIMESTAMP_STALE'
  | 'WEBHOOK_PAYLOAD_INVALID';

export interface WebhookRefusal {
  readonly code: WebhookRefusalCode;
  readonly detail: string;
}
