// The SDK's fetch: every POST leaves with an Idempotency-Key (the caller's, or a fresh UUID), and the
// failures that are safe to repeat are repeated with the SAME key, so the gateway replays the first
// outcome instead of acting twice. Safe: a network error, 429 or 503 (after Retry-After, or a short
// backoff), and 409 IDEMPOTENCY_REQUEST_IN_PROGRESS (an earlier attempt still runs). Bounded by
// attempts and by total time; what cannot be retried within the bound is returned as it came.
import * as crypto from 'node:crypto';
import { retryAfterMs } from './retryAfter';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const IN_PROGRESS = 'IDEMPOTENCY_REQUEST_IN_PROGRESS';

export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  readonly maxAttempts?: number;
  /** No retry starts later than this after the first attempt (default 30 000 ms). */
  readonly budgetMs?: number;
  /** The wait before the first retry when the gateway names none; doubled each time (default 200 ms). */
  readonly backoffMs?: number;
}

export interface IdempotentFetchOptions extends RetryPolicy {
  readonly fetch?: typeof fetch;
  readonly newKey?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A method whose repetition changes nothing, given the key a POST carries. */
function isRepeatable(request: Request): boolean {
  return (
    ['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method) ||
    request.headers.has(IDEMPOTENCY_KEY_HEADER)
  );
}

async function isRetryableResponse(response: Response): Promise<boolean> {
  if (response.status === 429 || response.status === 503) return true;
  if (response.status !== 409 || !response.headers.has('retry-after')) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { code?: unknown };
  return body.code === IN_PROGRESS;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** A fetch for the gateway: idempotency keys on POSTs and bounded retries of safe failures. */
export function idempotentFetch(options: IdempotentFetchOptions = {}): typeof fetch {
  const base = options.fetch ?? fetch;
  const newKey = options.newKey ?? (() => crypto.randomUUID());
  const sleep = options.sleep ?? wait;
  const now = options.now ?? Date.now;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const budgetMs = options.budgetMs ?? 30_000;
  const backoffMs = options.backoffMs ?? 200;

  return async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    let request = new Request(input, init);
    if (request.method === 'POST' && !request.headers.has(IDEMPOTENCY_KEY_HEADER)) {
      const headers = new Headers(request.headers);
      headers.set(IDEMPOTENCY_KEY_HEADER, newKey());
      request = new Request(request, { headers });
    }
    const repeatable = isRepeatable(request);
    const startedAt = now();
    for (let attempt = 1; ; attempt++) {
      const last = !repeatable || attempt >= maxAttempts;
      let response: Response;
      try {
        response = await base(last ? request : request.clone());
      } catch (error) {
        if (last || isAbort(error)) throw error;
        const delay = backoffMs * 2 ** (attempt - 1);
        if (now() + delay - startedAt > budgetMs) throw error;
        await sleep(delay);
        continue;
      }
      if (last || !(await isRetryableResponse(response))) return response;
      const delay =
        retryAfterMs(response.headers.get('retry-after'), now()) ?? backoffMs * 2 ** (attempt - 1);
      if (now() + delay - startedAt > budgetMs) return response;
      await response.body?.cancel();
      await sleep(delay);
    }
  };
}
