// Bounded retries for a setup step that may legitimately find a node not ready yet (an endpoint
// still opening after the node's health check passed): a few attempts within a time budget, then
// the last failure, so a start neither hangs nor fails on a moment's unreadiness.

export interface StepRetryOptions {
  /** At most this many attempts in all. */
  readonly attempts: number;
  /** No attempt starts after this many milliseconds from the first. */
  readonly withinMs: number;
  /** The pause after the first failure; it doubles up to `maxDelayMs`. */
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Told of each failure that will be retried. */
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

export async function retryStep<T>(step: () => Promise<T>, options: StepRetryOptions): Promise<T> {
  const deadline = Date.now() + options.withinMs;
  let delayMs = options.firstDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= options.attempts || Date.now() + delayMs > deadline) throw error;
      options.onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 2_000);
    }
  }
}
