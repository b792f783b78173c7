// Turns any error into an RFC 9457 problem-details response with a stable `code`. Nothing else
// writes error responses, and no response ever carries a stack trace.
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import {
  ApiError,
  IdempotencyInProgressError,
  InternalError,
  RateLimitedError,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
  UpstreamUnavailableError,
} from './apiError';
import { dependencyFailure, type DependencyEndpoint } from './dependencyFailure';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  [extra: string]: unknown;
}

const problemTypeBase = 'https://p2p-escrow.example/problems/';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function toProblem(error: ApiError, instance?: string): ProblemDetails {
  return {
    ...error.extras,
    type: `${problemTypeBase}${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: titles[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
  };
}

interface ValidatorIssue {
  path?: string;
  message?: string;
  errorCode?: string;
}

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  errors?: unknown;
  message?: unknown;
}

/** Errors thrown by body-parser and express-openapi-validator, recognised by their documented fields. */
export function fromFrameworkError(error: unknown): ApiError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as HttpLikeError;
  const status = typeof candidate.status === 'number' ? candidate.status : candidate.statusCode;
  if (typeof status !== 'number') return undefined;
  if (candidate.type === 'entity.too.large')
    return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the gateway accepts');
  if (candidate.type === 'entity.parse.failed')
    return new ApiError(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
  const issues = Array.isArray(candidate.errors)
    ? (candidate.errors as ValidatorIssue[]).map((issue) => ({
        path: issue.path ?? '',
        message: issue.message ?? '',
      }))
    : [];
  const message = typeof candidate.message === 'string' ? candidate.message : 'invalid request';
  switch (status) {
    case 400: {
      const idempotencyKey = issues.find((issue) => issue.path === '/headers/idempotency-key');
      if (idempotencyKey !== undefined)
        return new ApiError(
          400,
          idempotencyKey.message.includes('required')
            ? 'IDEMPOTENCY_KEY_REQUIRED'
            : 'IDEMPOTENCY_KEY_INVALID',
          'every POST needs an Idempotency-Key header of 8-128 characters [A-Za-z0-9._:-]',
        );
      const code = issues.some((issue) => issue.message.includes('must NOT have additional properties'))
        ? 'UNKNOWN_FIELD'
        : issues.some((issue) => issue.path.startsWith('/params/'))
          ? 'INVALID_PATH_PARAMETER'
          : issues.some((issue) => issue.path.startsWith('/headers/'))
            ? 'INVALID_HEADER'
            : 'INVALID_REQUEST';
      return new ApiError(400, code, message, { errors: issues });
    }
    case 404:
      return new ApiError(404, 'ROUTE_NOT_FOUND', 'no such route');
    case 405:
      return new ApiError(405, 'METHOD_NOT_ALLOWED', message);
    case 413:
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the gateway accepts');
    case 415:
      return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    default:
      // A 500 from the validator means our own response broke the contract: never the caller's fault.
      return undefined;
  }
}

export interface ProblemLogger {
  error(payload: object, message: string): void;
}

export interface RefusalAudit {
  refused(request: Request, error: ApiError, principal?: Principal, transactionId?: string): void;
  rateLimited?(request: Request, error: ApiError, principal?: Principal): void;
}

/** How long a refused caller should wait: its own figure for 429, 409 in progress and 503, else none. */
export function retryAfterOf(error: ApiError): number | undefined {
  if (
    error instanceof RateLimitedError ||
    error instanceof IdempotencyInProgressError ||
    error instanceof UpstreamUnavailableError
  )
    return error.retryAfterSeconds;
  return error.status === 503 ? UNAVAILABLE_RETRY_AFTER_SECONDS : undefined;
}

/** Writes `apiError` as problem+json, with Retry-After where the caller should come back. */
export function sendProblem(response: Response, apiError: ApiError, instance: string): void {
  response.locals['errorCode'] = apiError.code;
  const retryAfter = retryAfterOf(apiError);
  if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
  response.status(apiError.status).type('application/problem+json').json(toProblem(apiError, instance));
}

/**
 * The one error handler. `dependencies` says where PostgreSQL, Redis and Keycloak listen, so an
 * error that reports one of them unreachable is answered 503 DEPENDENCY_UNAVAILABLE naming it.
 */
export function problemDetailsMiddleware(
  log: ProblemLogger,
  audit: RefusalAudit,
  dependencies: readonly DependencyEndpoint[] = [],
): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    let apiError =
      error instanceof ApiError
        ? error
        : (fromFrameworkError(error) ?? dependencyFailure(error, dependencies));
    if (apiError === undefined) {
      log.error({ err: error }, 'unhandled error');
      apiError = new InternalError();
    }
    const principal = response.locals['principal'] as Principal | undefined;
    if (apiError.status === 401 || apiError.status === 403)
      audit.refused(request, apiError, principal, response.locals['transactionId'] as string | undefined);
    else if (apiError instanceof RateLimitedError) audit.rateLimited?.(request, apiError, principal);
    sendProblem(response, apiError, request.originalUrl);
  };
}
