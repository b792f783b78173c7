// When a parked settlement is tried again: exponential from one base delay, capped, with jitter so that
// escrows parked together (a provider outage) do not all retry at once. Never gives up: money owed is
// never dropped, it waits (and the stuck-settlement alert names it) until it can be paid.

export interface BackoffSettings {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** After failed attempt `attempts` (1 = the first); `random` in [0, 1) picks between half and all the step. */
export function nextSettlementAttempt(
  settings: BackoffSettings,
  attempts: number,
  now: Date,
  random: number,
): Date {
  const step = Math.min(
    settings.maxDelayMs,
    settings.baseDelayMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30),
  );
  return new Date(now.getTime() + Math.round(step / 2 + (step / 2) * random));
}
