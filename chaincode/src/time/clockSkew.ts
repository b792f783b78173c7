// The transaction timestamp is the escrow clock; an endorser only trusts it if it is close to
// its own clock, so nobody can backdate (or postdate) a proposal to cross a deadline.
import { ClockSkewError } from '../errors/escrowErrors';

export const CLOCK_SKEW_ENV = 'ESCROW_MAX_CLOCK_SKEW_SECONDS';
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300;

export function maxClockSkewSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env[CLOCK_SKEW_ENV];
  if (configured === undefined || configured === '') return DEFAULT_MAX_CLOCK_SKEW_SECONDS;
  if (!/^[0-9]{1,9}$/.test(configured)) {
    throw new Error(`${CLOCK_SKEW_ENV} must be a whole number of seconds, got ${configured}`);
  }
  return Number(configured);
}

export function assertWithinClockSkew(txTimeMs: number, endorserNowMs: number, maxSkewSeconds: number): void {
  const skewMs = Math.abs(txTimeMs - endorserNowMs);
  if (skewMs > maxSkewSeconds * 1000) throw new ClockSkewError(Math.round(skewMs / 1000), maxSkewSeconds);
}
