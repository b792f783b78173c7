// The escrow record as it is stored on the ledger. Amounts are decimal strings of minor units;
// instants are ISO-8601 UTC strings; absent sections are null so the stored JSON has a fixed shape.
import type { Marketplace } from '../config/identityConfig';
import type { Actor } from '../identity/actor';

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
  readonly items: readonly Item[];
  /**
   * Until when the counterparty may accept the proposal; null only on records written before
   * consent was required (they hold no acceptance, so they can be neither funded nor reviewed).
   */
  readonly acceptBy: string | null;
  readonly fundBy: string;
  readonly shipBy: string;
  readonly inspectionPeriodSeconds: number;
  readonly createdAt: string;
  readonly createdBy: Actor;
  readonly updatedAt: string;
  /** What the buyer paid in: "0" until funded. */
  readonly fundedAmount: string;
  /** The split of fundedAmount, all "0" until a terminal state. */
  readonly buyerRefund: string;
  readonly sellerPayout: string;
  readonly fee: string;
  readonly acceptance: Acceptance | null;
  readonly funding: Funding | null;
  readonly shipment: Shipment | null;
  readonly delivery: Delivery | null;
  readonly dispute: Dispute | null;
  readonly closure: Closure | null;
  readonly settlements: { readonly buyer: Settlement | null; readonly seller: Settlement | null };
  readonly privateDetails: PrivateDetailsRef | null;
}
