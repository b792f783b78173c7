// Compares what the provider says moved in a period with what the ledger says was paid: every
// payment, refund and transfer the provider completed against the marketplace's fundings and
// settlements recorded on the ledger, matched by the provider's object id. Pure; the command and the
// worker's scheduled run feed it from the provider port and the ledger.
import type { Escrow } from '@p2p-escrow/chaincode';
import type { Period, ProviderActivity } from '../port/paymentProvider';

export type MovementKind = ProviderActivity['kind'];

/** One money movement the ledger records: a funding (payment), the buyer's refund, the seller's payout. */
export interface LedgerMovement {
  readonly kind: MovementKind;
  readonly providerRef: string;
  readonly escrowId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly at: Date;
}

export type Difference =
  | {
      readonly code: 'PAID_NOT_ON_LEDGER';
      readonly kind: MovementKind;
      readonly providerId: string;
      readonly escrowId: string | undefined;
      readonly amountMinor: bigint;
      readonly currency: string;
    }
  | {
      readonly code: 'ON_LEDGER_NOT_PAID';
      readonly kind: MovementKind;
      readonly providerId: string;
      readonly escrowId: string;
      readonly amountMinor: bigint;
      readonly currency: string;
    }
  | {
      readonly code: 'AMOUNT_MISMATCH';
      readonly kind: MovementKind;
      readonly providerId: string;
      readonly escrowId: string;
      readonly ledgerAmountMinor: bigint;
      readonly providerAmountMinor: bigint;
      readonly ledgerCurrency: string;
      readonly providerCurrency: string;
    };

export type DifferenceCode = Difference['code'];
export const DIFFERENCE_CODES: readonly DifferenceCode[] = [
  'PAID_NOT_ON_LEDGER',
  'ON_LEDGER_NOT_PAID',
  'AMOUNT_MISMATCH',
];

export interface ReconciliationReport {
  readonly marketplace: string;
  readonly period: Period;
  readonly providerMovements: number;
  readonly ledgerMovements: number;
  readonly matched: number;
  readonly differences: readonly Difference[];
  readonly clean: boolean;
}

/** Statuses under which the provider has moved (or is moving) the money; the rest moved nothing. */
const MOVED: Readonly<Record<MovementKind, readonly string[]>> = {
  payment: ['succeeded'],
  refund: ['succeeded', 'pending'],
  transfer: ['paid'],
};

const inPeriod = (at: Date, period: Period) => at >= period.from && at < period.to;

/** What the ledger says `marketplace` collected and paid in `period`: its buyers' escrows only. */
export function ledgerMovementsOf(
  escrows: readonly Escrow[],
  marketplace: string,
  period: Period,
): LedgerMovement[] {
  const movements: LedgerMovement[] = [];
  for (const escrow of escrows) {
    if (escrow.buyer.marketplace !== marketplace) continue;
    const { escrowId, currency } = escrow;
    if (escrow.funding !== null)
      movements.push({
        kind: 'payment',
        providerRef: escrow.funding.providerRef,
        escrowId,
        amountMinor: BigInt(escrow.fundedAmount),
        currency,
        at: new Date(escrow.funding.fundedAt),
      });
    // An escrow settled item by item records each item's refund and payout on that item.
    const recorded = [escrow.settlements, ...(escrow.itemLifecycles ?? []).map((item) => item.settlements)];
    for (const [payee, kind] of [
      ['buyer', 'refund'],
      ['seller', 'transfer'],
    ] as const)
      for (const settlement of recorded.map((settlements) => settlements[payee]))
        if (settlement !== null)
          movements.push({
            kind,
            providerRef: settlement.providerRef,
            escrowId,
            amountMinor: BigInt(settlement.amount),
            currency,
            at: new Date(settlement.recordedAt),
          });
  }
  return movements.filter((movement) => inPeriod(movement.at, period));
}

const keyOf = (kind: MovementKind, id: string) => `${kind}\u0000${id}`;

/** Every difference between the two sides of `period`, in a stable order (kind, then id). */
export function reconcile(
  marketplace: string,
  period: Period,
  providerSide: readonly ProviderActivity[],
  ledgerSide: readonly LedgerMovement[],
): ReconciliationReport {
  // The provider filters by creation time too; the check here keeps a provider that does not honest.
  const provider = providerSide.filter(
    (line) => MOVED[line.kind].includes(line.status) && inPeriod(line.createdAt, period),
  );
  const ledger = new Map(
    ledgerSide.map((movement) => [keyOf(movement.kind, movement.providerRef), movement]),
  );
  const differences: Difference[] = [];
  let matched = 0;
  const seen = new Set<string>();
  for (const line of provider) {
    const key = keyOf(line.kind, line.providerId);
    seen.add(key);
    const recorded = ledger.get(key);
    if (recorded === undefined) {
      differences.push({
        code: 'PAID_NOT_ON_LEDGER',
        kind: line.kind,
        providerId: line.providerId,
        escrowId: line.escrowId,
        amountMinor: line.amountMinor,
        currency: line.currency,
      });
    } else if (recorded.amountMinor !== line.amountMinor || recorded.currency !== line.currency) {
      differences.push({
        code: 'AMOUNT_MISMATCH',
        kind: line.kind,
        providerId: line.providerId,
        escrowId: recorded.escrowId,
        ledgerAmountMinor: recorded.amountMinor,
        providerAmountMinor: line.amountMinor,
        ledgerCurrency: recorded.currency,
        providerCurrency: line.currency,
      });
    } else matched += 1;
  }
  for (const [key, movement] of ledger)
    if (!seen.has(key))
      differences.push({
        code: 'ON_LEDGER_NOT_PAID',
        kind: movement.kind,
        providerId: movement.providerRef,
        escrowId: movement.escrowId,
        amountMinor: movement.amountMinor,
        currency: movement.currency,
      });
  differences.sort((a, b) => (a.kind + a.providerId < b.kind + b.providerId ? -1 : 1));
  return {
    marketplace,
    period,
    providerMovements: provider.length,
    ledgerMovements: ledger.size,
    matched,
    differences,
    clean: differences.length === 0,
  };
}

/** The report as JSON (amounts as decimal strings, instants ISO-8601). */
export function reportJson(report: ReconciliationReport): string {
  return JSON.stringify(
    report,
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    2,
  );
}

/** The report for a terminal: a summary line, then one line per difference. */
export function reportText(report: ReconciliationReport): string {
  const { marketplace, period } = report;
  const head =
    `${marketplace} ${period.from.toISOString()} .. ${period.to.toISOString()}: ` +
    `${report.providerMovements} provider movements, ${report.ledgerMovements} on the ledger, ${report.matched} matched, ` +
    (report.clean ? 'clean' : `${report.differences.length} differences`);
  const lines = report.differences.map((difference) => {
    const escrow = difference.escrowId ?? '(no escrow)';
    if (difference.code === 'AMOUNT_MISMATCH')
      return `  ${difference.code} ${difference.kind} ${difference.providerId} escrow ${escrow}: ledger ${difference.ledgerAmountMinor} ${difference.ledgerCurrency}, provider ${difference.providerAmountMinor} ${difference.providerCurrency}`;
    return `  ${difference.code} ${difference.kind} ${difference.providerId} escrow ${escrow}: ${difference.amountMinor} ${difference.currency}`;
  });
  return `${[head, ...lines].join('\n')}\n`;
}
