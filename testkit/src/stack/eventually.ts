// Waiting on a live stack without fixed sleeps: poll until a value appears, bounded in time.

export interface EventuallyOptions {
  /** How long to keep asking before failing (default 30 s). */
  readonly timeoutMs?: number;
  /** The pause between two asks (default 100 ms). */
  readonly intervalMs?: number;
}

/** The first value `value` yields that is not undefined; fails naming `what` once the time is up. */
export async function eventually<T>(
  what: string,
  value: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 30_000, intervalMs = 100 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await value();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
