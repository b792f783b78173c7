// The escrow record as it is stored on the ledger. Amounts are decimal strings of minor units;
// instants are ISO-8601 UTC strings; absent sections are null so the stored JSON has a fixed shape.
import type { Marketplace } from '../config/identityConfig';
import type { Actor } from '../identity/actor';
import type { ItemLifecycle } from './itemLifecycle';
import type { RiskFlag } from './riskFlags';

export const ESCROW_STATES = [
  'PROPOSED',
  'CREATED',
  'FUNDED',
  'SHIPPED',
  'DELIVERED',
  'RELEASED',
  'DISPUTED',
  'RESOLVED',
  'CANCELLED',
  'REFUNDED',
] as const;
export type EscrowState = (typeof ESCROW_STATES)[number];

export const TERMINAL_STATES: readonly EscrowState[] = ['RELEASED', 'RESOLVED', 'CANCELLED', 'REFUNDED'];

export function isTerminal(state: EscrowState): boolean {
  return TERMINAL_STATES.includes(state);
}

export const PAYEES = ['buyer', 'seller'] as const;
export type Payee = (typeof PAYEES)[number];

export interface Party {
  readonly marketplace: Marketplace;
  readonly userId: string;
}

export interface Item {
  readonly description: string;
  readonly price: string;
}

/** The counterparty's consent to the terms: a PROPOSED escrow binds (becomes CREATED) only with it. */
export interface Acceptance {
  readonly acceptedAt: string;
  readonly acceptedBy: Actor;
}

/**
 * Changed terms one side proposed before funding, awaiting the other side's consent: while it is
 * pending the escrow cannot be funded. Accepted, these become the terms; declined, the terms in
 * force (or the unaccepted proposal) stay as they were. termsChange.ts holds the rules.
 */
export interface TermsChange {
  readonly proposedBy: 'buyer' | 'seller';
  readonly actor: Actor;
  readonly proposedAt: string;
  readonly amount: string;
  readonly items: readonly Item[];
  readonly buyerFeeShareBps: number;
  readonly buyerFee: string;
  readonly fundBy: string;
  readonly shipBy: string;
  readonly inspectionPeriodSeconds: number;
  readonly deliveryPeriodSeconds: number | null;
}

export interface Funding {
  readonly providerRef: string;
  readonly fundedAt: string;
  readonly fundedBy: Actor;
}

export interface Shipment {
  readonly carrier: string;
  readonly trackingRef: string;
  readonly shippedAt: string;
}

export interface Delivery {
  readonly deliveredAt: string;
  readonly inspectionEndsAt: string;
  readonly confirmedBy: Actor;
}

export const OFFER_SIDES = ['buyer', 'seller'] as const;
export type OfferSide = (typeof OFFER_SIDES)[number];

/**
 * What became of a settlement offer: open until answered or replaced; `countered` when the other
 * side made its own offer, `superseded` when its maker replaced it, `expired` when a new offer found
 * it lapsed. An open offer past `expiresAt` can no longer be answered: the clock expires it, and the
 * next offer records that.
 */
export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'countered', 'superseded', 'expired'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** One side's proposal to end a dispute without the arbiter: the buyer gets `buyerRefund` back. */
export interface SettlementOffer {
  readonly offeredBy: OfferSide;
  readonly actor: Actor;
  /** Of the goods amount (never of the buyer's fee share, which follows the split). */
  readonly buyerRefund: string;
  readonly offeredAt: string;
  readonly expiresAt: string;
  readonly status: OfferStatus;
  readonly answeredAt: string | null;
}

export interface Dispute {
  readonly raisedAt: string;
  readonly reason: string;
  readonly evidenceHashes: readonly string[];
}

export interface Closure {
  readonly closedAt: string;
  readonly closedBy: Actor;
}

export interface Settlement {
  readonly amount: string;
  readonly providerRef: string;
  readonly recordedAt: string;
  readonly recordedBy: Actor;
}

export interface PrivateDetailsRef {
  readonly collection: string;
  readonly hash: string;
  readonly erasedAt: string | null;
}

export interface Escrow {
  readonly docType: 'escrow';
  readonly escrowId: string;
  readonly state: EscrowState;
  readonly buyer: Party;
  readonly seller: Party;
  readonly currency: string;
  readonly amount: string;
  readonly feeBps: number;
  /**
   * The buyer's part of the fee in basis points of it (0: the seller pays, 10 000: the buyer pays);
   * 0 on records written before the fee payer was a term.
   */
  readonly buyerFeeShareBps: number;
  /**
   * The most the buyer pays of the fee (its share of the fee on the whole amount), collected with
   * the funding on top of `amount`; what the split leaves unused goes back to the buyer.
   */
  readonly buyerFee: string;
  readonly items: readonly Item[];
  /**
   * Until when the counterparty may accept the proposal; null only on records written before
   * consent was required (they hold no acceptance, so they can be neither funded nor reviewed).
   */
  readonly acceptBy: string | null;
  readonly fundBy: string;
  readonly shipBy: string;
  readonly inspectionPeriodSeconds: number;
  /**
   * How long after shipment the delivery may take (a term, or the channel's default at creation);
   * null on records written before delivery had a deadline.
   */
  readonly deliveryPeriodSeconds: number | null;
  /** Set at shipment: past it, an unconfirmed delivery lets the buyer claim a refund (or the keeper act). */
  readonly deliverBy: string | null;
  readonly createdAt: string;
  readonly createdBy: Actor;
  readonly updatedAt: string;
  /** What the buyer paid in (amount + buyerFee): "0" until funded. */
  readonly fundedAmount: string;
  /** The split of fundedAmount, all "0" until a terminal state. */
  readonly buyerRefund: string;
  readonly sellerPayout: string;
  readonly fee: string;
  readonly acceptance: Acceptance | null;
  /** Changed terms awaiting the other side's consent; null when none is pending. */
  readonly termsChange: TermsChange | null;
  readonly funding: Funding | null;
  readonly shipment: Shipment | null;
  readonly delivery: Delivery | null;
  readonly dispute: Dispute | null;
  /** Settlement offers made while disputed, oldest first: the arbiter sees every one. */
  readonly offers: readonly SettlementOffer[];
  readonly closure: Closure | null;
  readonly settlements: { readonly buyer: Settlement | null; readonly seller: Settlement | null };
  readonly privateDetails: PrivateDetailsRef | null;
  /**
   * One lifecycle per item (same order as `items`) once a party acted on an item by index; null
   * until then, and on records written before items had lifecycles (itemLifecycle.ts).
   */
  readonly itemLifecycles: readonly ItemLifecycle[] | null;
  /**
   * Oversight's risk flags, raised and cleared, oldest first (riskFlags.ts); an active `hold` stops
   * the releases to the seller. Empty on records written before risk flags existed.
   */
  readonly riskFlags: readonly RiskFlag[];
}
