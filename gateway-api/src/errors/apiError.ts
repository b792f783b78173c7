// Every refusal the gateway can give: a class with a stable `code`, an HTTP status and a typed payload.
// The problem-details middleware is the only place that turns these into responses.

export interface ProblemExtras {
  readonly [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(
    code:
      | 'TOKEN_MISSING'
      | 'TOKEN_INVALID'
      | 'TOKEN_EXPIRED'
      | 'TOKEN_ISSUER_UNTRUSTED'
      | 'SECOND_FACTOR_REQUIRED',
    message: string,
  ) {
    super(401, code, message);
  }
}

export class ForbiddenError extends ApiError {
  constructor(code: string, message: string, extras: ProblemExtras = {}) {
    super(403, code, message, extras);
  }
}

export class ValidationError extends ApiError {
  constructor(code: string, message: string, extras: ProblemExtras = {}) {
    super(400, code, message, extras);
  }
}

export class NotFoundError extends ApiError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

export class IdempotencyKeyReusedError extends ApiError {
  constructor() {
    super(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used with a different request body',
    );
  }
}

/** An earlier attempt with this key still holds its lease; the caller retries after it. */
export class IdempotencyInProgressError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      409,
      'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      `a request with this Idempotency-Key is still being processed; retry after ${retryAfterSeconds}s`,
    );
  }
}

/** Whose budget ran out: a confidential client's, one user's, or one address's unauthenticated requests. */
export type RateScope = 'client' | 'user' | 'address';

export class RateLimitedError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly scope: RateScope,
  ) {
    super(429, 'RATE_LIMITED', `too many requests for this ${scope}; retry after ${retryAfterSeconds}s`, {
      scope,
    });
  }
}

/** Seconds a caller is asked to wait (Retry-After) before retrying a request refused with 503. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The ledger or an identity service could not be reached in time; safe to retry. */
export class UpstreamUnavailableError extends ApiError {
  constructor(
    code: string,
    message: string,
    extras: ProblemExtras = {},
    readonly retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS,
  ) {
    super(503, code, message, extras);
  }
}

/** A dependency answered, but not as it should have; the caller cannot fix this by changing the request. */
export class UpstreamError extends ApiError {
  constructor(code: string, message: string, extras: ProblemExtras = {}) {
    super(502, code, message, extras);
  }
}

export class InternalError extends ApiError {
  constructor() {
    super(500, 'INTERNAL_ERROR', 'the gateway failed to process the request');
  }
}
