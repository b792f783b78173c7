// Which settlement period an operator means by `--period`: a period id as the ledger names it
// (`20261130T000000Z`), an ISO-8601 instant (the period it falls in), or a count n of periods back
// from now (1 = the last period that has ended). Periods are the channel's `settlementPeriodSeconds`.
import { settlementPeriodAt } from '@p2p-escrow/chaincode';

export class StatementPeriodError extends Error {
  readonly code = 'STATEMENT_PERIOD_INVALID';
  constructor(detail: string) {
    super(`STATEMENT_PERIOD_INVALID: ${detail}`);
    this.name = 'StatementPeriodError';
  }
}

const PERIOD_ID = /^\d{8}T\d{6}Z$/;
const PERIODS_BACK = /^\d{1,6}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/;

/** The period id `value` names, given the channel's period length and the current time. */
export function statementPeriodOf(value: string, periodSeconds: number, nowMs: number): string {
  if (PERIODS_BACK.test(value))
    return settlementPeriodAt(nowMs - Number(value) * periodSeconds * 1000, periodSeconds).period;
  const instant = PERIOD_ID.test(value)
    ? Date.parse(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))
    : ISO_INSTANT.test(value)
      ? Date.parse(value)
      : Number.NaN;
  if (Number.isNaN(instant))
    throw new StatementPeriodError(
      `${JSON.stringify(value)} is neither a period id (20261130T000000Z), an ISO-8601 instant, nor a number of periods back`,
    );
  const period = settlementPeriodAt(instant, periodSeconds).period;
  if (PERIOD_ID.test(value) && period !== value)
    throw new StatementPeriodError(`${value} is not the start of a ${String(periodSeconds)} s period`);
  return period;
}
