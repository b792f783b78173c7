// Netting of what marketplaces owe each other: when the buyer's marketplace collected the money and the
// seller trades on another marketplace, the seller's payout is an obligation between the two. Per pair
// of marketplaces and per settlement period, the obligations both ways become ONE statement: the gross
// each way, the net, who pays it, and the escrows it covers, so one provider transfer settles the pair.
// Pure: no clock, no I/O; the same obligations in any order give the same statements.
import { NettingError } from './nettingErrors';

export interface Obligation {
  readonly escrowId: string;
  /** The marketplace that collected the buyer's money and owes the seller's part. */
  readonly payer: string;
  /** The seller's marketplace, which pays its seller once the statement is settled. */
  readonly payee: string;
  readonly amountMinor: bigint;
  /** ISO 4217, upper case. */
  readonly currency: string;
  /** The settlement period, e.g. `2026-11-30` for daily statements. */
  readonly period: string;
}

export type NetDirection = { readonly from: string; readonly to: string } | 'balanced';

export interface Statement {
  /** `<period>:<first>:<second>`: the statement's key on the ledger and its transfer's idempotency id. */
  readonly statementId: string;
  readonly period: string;
  /** The pair, in code-point order: `first` < `second`. */
  readonly first: string;
  readonly second: string;
  readonly currency: string;
  /** What `first` owes `second` over the period, before netting. */
  readonly grossFirstToSecond: bigint;
  readonly grossSecondToFirst: bigint;
  /** |grossFirstToSecond − grossSecondToFirst|, paid in `direction`. */
  readonly net: bigint;
  readonly direction: NetDirection;
  /** Every escrow the statement settles, sorted; each escrow is in exactly one statement. */
  readonly escrowIds: readonly string[];
}

export function statementIdOf(period: string, first: string, second: string): string {
  return `${period}:${first}:${second}`;
}

interface Accumulator {
  period: string;
  first: string;
  second: string;
  currency: string;
  grossFirstToSecond: bigint;
  grossSecondToFirst: bigint;
  escrowIds: string[];
}

/** Nets `obligations` into statements, sorted by period, then pair. */
export function netObligations(obligations: readonly Obligation[]): Statement[] {
  const seen = new Set<string>();
  const byStatement = new Map<string, Accumulator>();
  for (const obligation of obligations) {
    checkObligation(obligation);
    if (seen.has(obligation.escrowId))
      throw new NettingError('NETTING_DUPLICATE_ESCROW', `escrow ${obligation.escrowId} is owed twice`);
    seen.add(obligation.escrowId);
    const [first, second] = [obligation.payer, obligation.payee].sort(byCodePoint) as [string, string];
    const id = statementIdOf(obligation.period, first, second);
    const statement = byStatement.get(id) ?? {
      period: obligation.period,
      first,
      second,
      currency: obligation.currency,
      grossFirstToSecond: 0n,
      grossSecondToFirst: 0n,
      escrowIds: [],
    };
    if (statement.currency !== obligation.currency)
      throw new NettingError(
        'NETTING_MIXED_CURRENCIES',
        `statement ${id} would mix ${statement.currency} and ${obligation.currency} (escrow ${obligation.escrowId})`,
      );
    if (obligation.payer === first) statement.grossFirstToSecond += obligation.amountMinor;
    else statement.grossSecondToFirst += obligation.amountMinor;
    statement.escrowIds.push(obligation.escrowId);
    byStatement.set(id, statement);
  }
  return [...byStatement.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([statementId, s]) => {
      const difference = s.grossFirstToSecond - s.grossSecondToFirst;
      return {
        statementId,
        period: s.period,
        first: s.first,
        second: s.second,
        currency: s.currency,
        grossFirstToSecond: s.grossFirstToSecond,
        grossSecondToFirst: s.grossSecondToFirst,
        net: difference < 0n ? -difference : difference,
        direction:
          difference === 0n
            ? 'balanced'
            : difference > 0n
              ? { from: s.first, to: s.second }
              : { from: s.second, to: s.first },
        escrowIds: [...s.escrowIds].sort(byCodePoint),
      };
    });
}

/**
 * What each marketplace receives (positive) or pays (negative) per period once its statements are
 * settled. Over all marketplaces of a period the positions sum to zero: money is only moved.
 */
export function netPositions(statements: readonly Statement[]): Map<string, Map<string, bigint>> {
  const positions = new Map<string, Map<string, bigint>>();
  for (const statement of statements) {
    if (statement.direction === 'balanced') continue;
    const period = positions.get(statement.period) ?? new Map<string, bigint>();
    const { from, to } = statement.direction;
    period.set(from, (period.get(from) ?? 0n) - statement.net);
    period.set(to, (period.get(to) ?? 0n) + statement.net);
    positions.set(statement.period, period);
  }
  return positions;
}

function checkObligation(o: Obligation): void {
  const refuse = (detail: string): never => {
    throw new NettingError('NETTING_OBLIGATION_INVALID', `escrow ${JSON.stringify(o.escrowId)}: ${detail}`);
  };
  if (o.escrowId === '') refuse('has no escrow id');
  if (o.payer === '' || o.payee === '') refuse('names no marketplace');
  // A seller on the collecting marketplace is paid by it directly: nothing crosses marketplaces.
  if (o.payer === o.payee) refuse(`${o.payer} would owe itself`);
  if (o.amountMinor <= 0n) refuse(`${o.amountMinor} is not a positive amount`);
  if (!/^[A-Z]{3}$/.test(o.currency)) refuse(`${JSON.stringify(o.currency)} is not an ISO 4217 code`);
  if (o.period === '') refuse('has no settlement period');
  // The statement id joins period and pair with ':', so none of them may hold one.
  if ([o.period, o.payer, o.payee].some((part) => part.includes(':')))
    refuse('period and marketplaces must not contain ":"');
}

/** Sorting by UTF-16 code units, the same on every machine (no locale). */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
