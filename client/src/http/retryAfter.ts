// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date.

/** The wait in milliseconds a Retry-After value asks for, or undefined when it says nothing usable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
