// When a failed delivery is tried again: exponential backoff from the subscription's base delay,
// capped per attempt, with jitter (so a recovering partner is not hit by every delivery at once),
// until the retry window (3 days) or the subscription's attempt limit is spent; then dead-letter.

export interface RetrySettings {
  readonly baseDelayMs: number;
  /** Dead-letter after this many attempts; undefined: only the retry window limits retries. */
  readonly maxAttempts: number | undefined;
}

export const RETRY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
export const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

export type RetryDecision =
  | { readonly kind: 'retry'; readonly nextAttemptAt: Date }
  | { readonly kind: 'dead' };

/**
 * After failed attempt number `attempts` (1 = the first) of a delivery enqueued at `enqueuedAt`.
 * `random` in [0, 1) picks the jitter: the delay is between half and all of the exponential step.
 */
export function afterFailure(
  settings: RetrySettings,
  attempts: number,
  enqueuedAt: Date,
  now: Date,
  random: number,
): RetryDecision {
  if (settings.maxAttempts !== undefined && attempts >= settings.maxAttempts) return { kind: 'dead' };
  const step = Math.min(MAX_DELAY_MS, settings.baseDelayMs * 2 ** Math.min(attempts - 1, 30));
  const delay = Math.round(step / 2 + (step / 2) * random);
  const next = now.getTime() + delay;
  if (next - enqueuedAt.getTime() > RETRY_WINDOW_MS) return { kind: 'dead' };
  return { kind: 'retry', nextAttemptAt: new Date(next) };
}
