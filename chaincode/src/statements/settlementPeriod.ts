// Settlement periods: the channel's `settlementPeriodSeconds` cuts time into periods counted from the
// Unix epoch, and an obligation belongs to the period of the transaction that created it. A period's
// id is its start in compact UTC (`20261130T000000Z`): it holds no ':' (the statement id joins period
// and pair with ':') and sorts as time does.
import { InvalidInputError } from '../errors/escrowErrors';
import { toInstant } from '../validation/fields';

export interface SettlementPeriod {
  /** The period's start, `YYYYMMDDTHHMMSSZ`. */
  readonly period: string;
  readonly startsAt: string;
  /** The first instant after the period. */
  readonly endsAt: string;
}

const PERIOD_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function periodIdOf(startMs: number): string {
  return new Date(startMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function periodStartingAt(startMs: number, lengthSeconds: number): SettlementPeriod {
  return {
    period: periodIdOf(startMs),
    startsAt: toInstant(startMs),
    endsAt: toInstant(startMs + lengthSeconds * 1000),
  };
}

/** The period `atMs` falls in. */
export function settlementPeriodAt(atMs: number, lengthSeconds: number): SettlementPeriod {
  const lengthMs = lengthSeconds * 1000;
  return periodStartingAt(Math.floor(atMs / lengthMs) * lengthMs, lengthSeconds);
}

/** The period right after `period`. */
export function nextSettlementPeriod(period: SettlementPeriod, lengthSeconds: number): SettlementPeriod {
  return periodStartingAt(Date.parse(period.endsAt), lengthSeconds);
}

/** Reads a period id from a transaction argument. */
export function requirePeriodId(value: string, field: string): string {
  const match = PERIOD_PATTERN.exec(value);
  const [, year, month, day, hour, minute, second] = match ?? [];
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}.000Z`;
  if (match === null || Number.isNaN(Date.parse(iso)) || periodIdOf(Date.parse(iso)) !== value)
    throw new InvalidInputError(`${field} must be a period id YYYYMMDDTHHMMSSZ`);
  return value;
}
