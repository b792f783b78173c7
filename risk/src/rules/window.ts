// A metric's time window, written as a count and a unit ("30s", "15m", "1h", "7d"), read into
// milliseconds. Windows are measured on ledger time (each event's transaction timestamp), so a
// backtest over history sees exactly the windows the live service saw.
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest window a rule may ask for: a year and a day. */
export const MAX_WINDOW_MS = 366 * UNIT_MS.d;

export const WINDOW_PATTERN = /^([1-9][0-9]{0,5})(s|m|h|d)$/;

/** The window in milliseconds, or undefined when the text is not a window (or longer than a year). */
export function windowMs(text: string): number | undefined {
  const match = WINDOW_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, count, unit] = match;
  const ms = Number(count) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return ms <= MAX_WINDOW_MS ? ms : undefined;
}
