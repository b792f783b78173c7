// GET /v1/escrows/{escrowId}/payout: the seller's payout as the ledger and the seller's marketplace
// see it. `paid` with the provider's reference once recorded on the ledger; `pending` with its reason
// (SELLER_NOT_VERIFIED) while the marketplace's payout gate holds it; `owed` while due and not paid
// yet (or owed by the buyer's marketplace through statements); `none` when nothing is due. The reason
// lives in the seller's marketplace's records, so only its gateway can give it.
//
// An escrow moving per item is paid as each item ends (the settlement worker's plan), so its view
// also lists each ended item's refund and payout with the same statuses, and the totals that
// account for the whole funding: funded = refunded + paidOut + owed + fees + open. Its `amount` and
// `status` are then those of the ended items' payouts together.
import {
  isTerminal,
  isTerminalItem,
  type Escrow,
  type ItemLifecycle,
  type Payee,
  type Settlement,
} from '@p2p-escrow/chaincode';
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { RouteContext } from '../routeContext';
import { readerFor, requireVisible } from './escrowAccess';

/** A payout the seller's marketplace's payout gate holds (its pending payouts' record). */
export interface HeldPayout {
  readonly reason: string;
  readonly pendingSince: Date;
}

type MovementStatus =
  | { readonly status: 'paid'; readonly providerRef: string; readonly recordedAt: string }
  | { readonly status: 'owed' }
  | { readonly status: 'pending'; readonly reason: string; readonly pendingSince: string };

/** One ended item's refund to the buyer or payout to the seller. */
export type ItemSettlementView = {
  readonly item: number;
  readonly payee: Payee;
  readonly kind: 'refund' | 'payout';
  readonly amount: string;
} & MovementStatus;

/** Where an escrow moving per item stands with its funding, in minor units. */
export interface ItemSettlementTotals {
  readonly funded: string;
  /** Recorded refunds and payouts of ended items. */
  readonly refunded: string;
  readonly paidOut: string;
  /** Due for ended items and not recorded yet (being paid, held by the gate, or by statement). */
  readonly owed: string;
  /** The ended items' fees. */
  readonly fees: string;
  /** The funded parts (price and buyer's fee share) of the items still open. */
  readonly open: string;
}

export type PayoutView = {
  readonly escrowId: string;
  readonly seller: Escrow['seller'];
  readonly amount: string;
  readonly currency: string;
  readonly itemSettlements?: readonly ItemSettlementView[];
  readonly totals?: ItemSettlementTotals;
} & PayoutStatus;

/** The payout's status: `providerRef` when one movement paid it (absent when paid item by item). */
type PayoutStatus =
  | { readonly status: 'none' | 'owed' }
  | { readonly status: 'paid'; readonly providerRef?: string }
  | { readonly status: 'pending'; readonly reason: string; readonly pendingSince: string };

function pendingOf(held: HeldPayout): { status: 'pending'; reason: string; pendingSince: string } {
  return { status: 'pending', reason: held.reason, pendingSince: held.pendingSince.toISOString() };
}

function paidOf(settlement: Settlement): MovementStatus {
  return { status: 'paid', providerRef: settlement.providerRef, recordedAt: settlement.recordedAt };
}

/** The whole escrow's payout, for an escrow that never moved per item (unchanged). */
function wholePayout(escrow: Escrow, held: HeldPayout | undefined): PayoutView {
  const view = {
    escrowId: escrow.escrowId,
    seller: escrow.seller,
    amount: escrow.sellerPayout,
    currency: escrow.currency,
  };
  const paid = escrow.settlements.seller;
  if (paid !== null) return { ...view, status: 'paid', providerRef: paid.providerRef };
  if (!isTerminal(escrow.state) || BigInt(escrow.sellerPayout) === 0n) return { ...view, status: 'none' };
  return { ...view, ...(held === undefined ? { status: 'owed' } : pendingOf(held)) };
}

/**
 * An ended item's movement to `payee`: paid once recorded for the item (or, on a record settled for
 * the whole before items were settled one by one, and for a seller of another marketplace paid by
 * statement, for the whole escrow); a seller's unpaid payout is pending while the gate holds it.
 */
function itemMovement(
  escrow: Escrow,
  item: ItemLifecycle,
  index: number,
  payee: Payee,
  held: HeldPayout | undefined,
): ItemSettlementView | undefined {
  const amount = payee === 'buyer' ? item.buyerRefund : item.sellerPayout;
  if (BigInt(amount) === 0n) return undefined;
  const movement = { item: index, payee, kind: payee === 'buyer' ? 'refund' : 'payout', amount } as const;
  const recorded = item.settlements[payee] ?? escrow.settlements[payee];
  if (recorded !== null) return { ...movement, ...paidOf(recorded) };
  if (payee === 'seller' && held !== undefined) return { ...movement, ...pendingOf(held) };
  return { ...movement, status: 'owed' };
}

function totalOf(amounts: readonly string[]): string {
  return amounts.reduce((total, amount) => total + BigInt(amount), 0n).toString();
}

/** The payout view of an escrow moving per item: each ended item's movements and the totals. */
function itemPayouts(
  escrow: Escrow,
  items: readonly ItemLifecycle[],
  held: HeldPayout | undefined,
): PayoutView {
  const ended = items.flatMap((item, index) => (isTerminalItem(item.state) ? [{ item, index }] : []));
  const itemSettlements = ended.flatMap(({ item, index }) =>
    (['buyer', 'seller'] as const).flatMap((payee) => itemMovement(escrow, item, index, payee, held) ?? []),
  );
  const amountsOf = (kind: 'refund' | 'payout', status: 'paid' | 'unpaid') =>
    itemSettlements
      .filter((entry) => entry.kind === kind && (entry.status === 'paid') === (status === 'paid'))
      .map((entry) => entry.amount);
  const openParts = items.flatMap((item, index) =>
    isTerminalItem(item.state)
      ? []
      : [(BigInt(escrow.items[index]?.price ?? '0') + BigInt(item.buyerFee)).toString()],
  );
  const totals: ItemSettlementTotals = {
    funded: escrow.fundedAmount,
    refunded: totalOf(amountsOf('refund', 'paid')),
    paidOut: totalOf(amountsOf('payout', 'paid')),
    owed: totalOf([...amountsOf('refund', 'unpaid'), ...amountsOf('payout', 'unpaid')]),
    fees: totalOf(ended.map(({ item }) => item.fee)),
    open: totalOf(openParts),
  };
  const payouts = itemSettlements.filter((entry) => entry.kind === 'payout');
  const view = {
    escrowId: escrow.escrowId,
    seller: escrow.seller,
    amount: totalOf(payouts.map((entry) => entry.amount)),
    currency: escrow.currency,
    itemSettlements,
    totals,
  };
  const whole = escrow.settlements.seller;
  if (whole !== null) return { ...view, status: 'paid', providerRef: whole.providerRef };
  if (payouts.every((entry) => entry.status === 'paid'))
    return { ...view, status: payouts.length === 0 ? 'none' : 'paid' };
  return { ...view, ...(held === undefined ? { status: 'owed' } : pendingOf(held)) };
}

/** What the payout view answers for `escrow`, given the payout the seller's marketplace's gate holds. */
export function payoutViewOf(escrow: Escrow, held: HeldPayout | undefined): PayoutView {
  const items = escrow.itemLifecycles;
  return items === null ? wholePayout(escrow, held) : itemPayouts(escrow, items, held);
}

export function getPayoutRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const caller = await readerFor(context.identities, principal);
    const escrow = await context.ledger.readEscrow(caller, String(request.params['escrowId']));
    requireVisible(principal, escrow);
    const desk = context.verifications;
    const held =
      desk?.marketplace === escrow.seller.marketplace ? await desk.pending.find(escrow.escrowId) : undefined;
    response.json(payoutViewOf(escrow, held));
  };
}
