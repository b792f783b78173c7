// What a terminal escrow still owes, as the buyer's marketplace (which collected the payment) sees it:
// a refund of `buyerRefund` to the buyer, and the seller's `sellerPayout` either paid directly to the
// seller's connected account (same marketplace) or owed to the seller's marketplace as an obligation
// settled by statements. Pure: the worker reads the escrow, asks this, and acts. A held escrow (an
// active risk hold on the ledger) owes its buyer's refund as ever, but its seller's payout waits:
// the hold's clearing is an event on the terminal escrow, which hands it to the worker again.
// An escrow moving per item owes each item's own split as soon as that item ends (a release or
// refund of one item moves only that item's money), one movement per payee and item, whatever the
// other items do; a seller on another marketplace is still owed the whole escrow's payout once it
// ends, by statement.
import { isHeld, isTerminal, isTerminalItem, type Escrow } from '@p2p-escrow/chaincode';

/** How the seller's part leaves the buyer's marketplace. */
export type SellerPayoutRoute = 'direct-payout' | 'inter-marketplace-obligation';

/**
 * A seller on the collecting marketplace is paid by it directly; a seller on another marketplace is
 * paid by their own marketplace, which this one owes the amount (netted per period into statements).
 */
export function sellerPayoutRoute(escrow: Pick<Escrow, 'buyer' | 'seller'>): SellerPayoutRoute {
  return escrow.buyer.marketplace === escrow.seller.marketplace
    ? 'direct-payout'
    : 'inter-marketplace-obligation';
}

/** One provider call the escrow still owes, recorded on the ledger once made. */
export type OwedMovement =
  | {
      readonly kind: 'refund';
      readonly payee: 'buyer';
      readonly amountMinor: bigint;
      readonly paymentId: string;
      /** The ended item whose own refund this is, on an escrow moving per item. */
      readonly item?: number;
    }
  | {
      readonly kind: 'payout';
      readonly payee: 'seller';
      readonly amountMinor: bigint;
      readonly sellerId: string;
      /** The ended item whose own payout this is, on an escrow moving per item. */
      readonly item?: number;
    };

/** The seller's part owed to another marketplace (left to the statements between marketplaces). */
export interface OwedObligation {
  readonly escrowId: string;
  readonly debtor: string;
  readonly creditor: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
}

export type SettlementPlan =
  /** The escrow's buyer is another marketplace's: that marketplace holds the payment and settles it. */
  | { readonly kind: 'not-collected-here' }
  /** Not ended yet: nothing is owed. */
  | { readonly kind: 'open' }
  /** Funded with a reference that is not the provider's payment: collected, and settled, elsewhere. */
  | { readonly kind: 'collected-elsewhere' }
  | {
      readonly kind: 'owed';
      readonly escrowId: string;
      readonly currency: string;
      /** In order: the buyer's refund first, then the seller's payout; empty when all is recorded. */
      readonly movements: readonly OwedMovement[];
      readonly obligation: OwedObligation | undefined;
      /** The seller's payout is owed but held by an active risk hold: pending until it is cleared. */
      readonly payoutHeld: boolean;
    };

/**
 * What `marketplace` still owes for `escrow`: nothing for an escrow it did not collect (another
 * marketplace's buyer, or a payment outside the provider, which the marketplace records itself through
 * the gateway) or that is not over; else each movement with a positive amount whose settlement the ledger does not hold yet (a
 * replayed event or a restarted worker finds them recorded and pays nothing twice).
 */
export function settlementPlan(
  escrow: Escrow,
  marketplace: string,
  isProviderPayment: (reference: string) => boolean,
): SettlementPlan {
  if (escrow.buyer.marketplace !== marketplace) return { kind: 'not-collected-here' };
  if (escrow.itemLifecycles !== null) return itemSettlementPlan(escrow, isProviderPayment);
  if (!isTerminal(escrow.state)) return { kind: 'open' };
  if (escrow.funding !== null && !isProviderPayment(escrow.funding.providerRef))
    return { kind: 'collected-elsewhere' };
  const buyerRefund = BigInt(escrow.buyerRefund);
  const sellerPayout = BigInt(escrow.sellerPayout);
  const movements: OwedMovement[] = [];
  if (buyerRefund > 0n && escrow.settlements.buyer === null) {
    // A terminal escrow with money to refund was funded, so the ledger names the payment.
    if (escrow.funding === null)
      throw new Error(`escrow ${escrow.escrowId} owes a refund but names no payment`);
    movements.push({
      kind: 'refund',
      payee: 'buyer',
      amountMinor: buyerRefund,
      paymentId: escrow.funding.providerRef,
    });
  }
  const route = sellerPayoutRoute(escrow);
  const payoutHeld = sellerPayout > 0n && escrow.settlements.seller === null && isHeld(escrow);
  if (sellerPayout > 0n && escrow.settlements.seller === null && route === 'direct-payout' && !payoutHeld)
    movements.push({
      kind: 'payout',
      payee: 'seller',
      amountMinor: sellerPayout,
      sellerId: escrow.seller.userId,
    });
  const obligation =
    sellerPayout > 0n && route === 'inter-marketplace-obligation' && !payoutHeld
      ? obligationOf(escrow, sellerPayout)
      : undefined;
  return {
    kind: 'owed',
    escrowId: escrow.escrowId,
    currency: escrow.currency,
    movements,
    obligation,
    payoutHeld,
  };
}

/**
 * What an escrow moving per item owes: each ended item's refund and (to a seller of the collecting
 * marketplace) payout not recorded yet, for the item or, on an escrow whose whole split was recorded
 * before items were settled one by one, for the whole. A risk hold keeps every item's payout back.
 */
function itemSettlementPlan(
  escrow: Escrow,
  isProviderPayment: (reference: string) => boolean,
): SettlementPlan {
  const items = escrow.itemLifecycles ?? [];
  const ended = items.flatMap((item, index) => (isTerminalItem(item.state) ? [{ item, index }] : []));
  if (ended.length === 0) return { kind: 'open' };
  const funding = escrow.funding;
  if (funding === null) throw new Error(`escrow ${escrow.escrowId} moves per item but names no payment`);
  if (!isProviderPayment(funding.providerRef)) return { kind: 'collected-elsewhere' };
  const direct = sellerPayoutRoute(escrow) === 'direct-payout';
  const owesPayout = ended.some(
    ({ item }) =>
      BigInt(item.sellerPayout) > 0n &&
      item.settlements.seller === null &&
      escrow.settlements.seller === null,
  );
  const payoutHeld = owesPayout && isHeld(escrow);
  const movements: OwedMovement[] = [];
  for (const { item, index } of ended) {
    const refund = BigInt(item.buyerRefund);
    if (refund > 0n && item.settlements.buyer === null && escrow.settlements.buyer === null)
      movements.push({
        kind: 'refund',
        payee: 'buyer',
        amountMinor: refund,
        paymentId: funding.providerRef,
        item: index,
      });
    const payout = BigInt(item.sellerPayout);
    if (
      direct &&
      !payoutHeld &&
      payout > 0n &&
      item.settlements.seller === null &&
      escrow.settlements.seller === null
    )
      movements.push({
        kind: 'payout',
        payee: 'seller',
        amountMinor: payout,
        sellerId: escrow.seller.userId,
        item: index,
      });
  }
  const sellerPayout = BigInt(escrow.sellerPayout);
  const obligation =
    !direct && isTerminal(escrow.state) && sellerPayout > 0n && !payoutHeld
      ? obligationOf(escrow, sellerPayout)
      : undefined;
  return {
    kind: 'owed',
    escrowId: escrow.escrowId,
    currency: escrow.currency,
    movements,
    obligation,
    payoutHeld,
  };
}

/** The buyer's marketplace owes the seller's the seller's payout, netted later by statement. */
function obligationOf(escrow: Escrow, sellerPayout: bigint): OwedObligation {
  return {
    escrowId: escrow.escrowId,
    debtor: escrow.buyer.marketplace,
    creditor: escrow.seller.marketplace,
    sellerId: escrow.seller.userId,
    amountMinor: sellerPayout,
    currency: escrow.currency,
  };
}
