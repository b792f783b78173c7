// Idempotency-Key on every POST: the first response (status and body) is stored before it is sent;
// the same key with the same request replays it, the same key with another request is refused.
// Transient outcomes (5xx, 429, 401) are not stored, so the caller may retry with the same key.
// A success whose record could not be stored is answered 503 instead: never a 2xx unrecorded.
// A request holds its key under a lease: a retry while it runs gets 409 + Retry-After, a retry after
// the lease ran out (the first attempt crashed) runs again; routes see that as `idempotencyResumed`.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import stringify from 'json-stringify-deterministic';
import * as crypto from 'node:crypto';
import { principalOf } from '../auth/authenticate';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, ValidationError } from '../errors/apiError';
import { DependencyUnavailableError, type Dependency } from '../errors/dependencyFailure';
import { sendProblem } from '../errors/problemDetails';
import type { IdempotencyStore, IdempotencyTimes } from './idempotencyStore';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const keyPattern = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(stringify({ method, path, body: body ?? null }))
    .digest('hex');
}

/** Whose keys these are: one namespace per OAuth client and user. */
export function idempotencyScope(principal: { readonly clientId: string; readonly subject: string }): string {
  return `${principal.clientId}|${principal.subject}`;
}

function isReplayable(status: number): boolean {
  return status < 500 && status !== 429 && status !== 401;
}

/** Whether this request re-runs a key whose earlier attempt lost its lease (crashed or hung). */
export function isIdempotencyResumed(response: Response): boolean {
  return response.locals['idempotencyResumed'] === true;
}

export interface IdempotencyLogger {
  error(payload: object, message: string): void;
  warn(payload: object, message: string): void;
}

export function idempotency(
  store: IdempotencyStore,
  log: IdempotencyLogger,
  times: IdempotencyTimes,
  storeDependency: Dependency = 'postgres',
): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'POST') {
      next();
      return;
    }
    const key = request.get('Idempotency-Key');
    if (key === undefined || !keyPattern.test(key)) {
      next(
        new ValidationError(
          key === undefined ? 'IDEMPOTENCY_KEY_REQUIRED' : 'IDEMPOTENCY_KEY_INVALID',
          'every POST needs an Idempotency-Key header of 8-128 characters [A-Za-z0-9._:-]',
        ),
      );
      return;
    }
    const principal = principalOf(response);
    const scope = idempotencyScope(principal);
    // The full path, wherever the middleware is mounted.
    const fingerprint = requestFingerprint(request.method, request.baseUrl + request.path, request.body);
    store.begin(scope, key, fingerprint, times).then((result) => {
      switch (result.kind) {
        case 'mismatch':
          next(new IdempotencyKeyReusedError());
          return;
        case 'in-progress':
          next(new IdempotencyInProgressError(result.retryAfterSeconds));
          return;
        case 'replay':
          response
            .status(result.response.status)
            .set('Idempotent-Replayed', 'true')
            .type(result.response.contentType)
            .send(JSON.stringify(result.response.body));
          return;
        case 'started': {
          const { attempt } = result;
          if (result.resumed) {
            response.locals['idempotencyResumed'] = true;
            log.warn({ attempt }, 'idempotency lease expired: re-running the request');
          }
          const send = response.json.bind(response);
          response.json = (body: unknown) => {
            const status = response.statusCode;
            const contentType = response.get('Content-Type') ?? 'application/json';
            const stored = isReplayable(status)
              ? store.complete(scope, key, attempt, {
                  status,
                  // A route may keep a secret out of the stored copy (webhook secrets are shown once).
                  body: (response.locals['idempotentBody'] as unknown) ?? body,
                  contentType: contentType.split(';')[0] ?? contentType,
                })
              : store.release(scope, key, attempt);
            stored.then(
              () => send(body),
              (error: unknown) => {
                log.error({ err: error }, 'could not store the idempotent response');
                // A success whose replay could not be recorded is not reported as one: the caller
                // retries with the same key and gets the recorded answer, or a resumed run.
                if (status >= 300) {
                  send(body);
                  return;
                }
                response.json = send;
                sendProblem(response, new DependencyUnavailableError(storeDependency), request.originalUrl);
              },
            );
            return response;
          };
          next();
          return;
        }
      }
    }, next);
  };
}
