// One chaincode event per transition: its name is the transition, its payload the escrow's new
// state and money split, who acted and when (the transaction timestamp).
import type { Actor } from '../identity/actor';
import type { Escrow } from './escrow';
import type { PublicActor } from './publicEscrow';

export const EVENT_NAMES = [
  'EscrowCreated',
  'EscrowAccepted',
  'EscrowDeclined',
  'EscrowExpired',
  'TermsProposed',
  'TermsAccepted',
  'TermsDeclined',
  'PaymentConfirmed',
  'Shipped',
  'DeliveryConfirmed',
  'Released',
  'DisputeRaised',
  'Resolved',
  'Cancelled',
  'Refunded',
  'ShipByExtended',
  'DeliveryOverdue',
  'SettlementOffered',
  'SettlementOfferDeclined',
  'SettlementOfferAccepted',
  'SettlementRecorded',
  'PrivateDetailsErased',
  'ReviewPosted',
  'ItemShipped',
  'ItemDeliveryConfirmed',
  'ItemReleased',
  'ItemDisputed',
  'ItemResolved',
  'ItemRejected',
  'ReturnAddressProvided',
  'ReturnShipped',
  'ReturnConfirmed',
  'ReturnDisputed',
  'ReturnExpired',
  'ItemSettlementOffered',
  'ItemOfferDeclined',
  'ItemOfferAccepted',
  'ItemDeliveryOverdue',
  'RiskFlagRaised',
  'RiskFlagCleared',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export type EventDetails = Readonly<Record<string, string | number | null>>;

export interface EventPayload {
  readonly escrowId: string;
  readonly state: string;
  readonly currency: string;
  readonly amount: string;
  readonly fundedAmount: string;
  readonly buyerRefund: string;
  readonly sellerPayout: string;
  readonly fee: string;
  readonly actor: Actor;
  readonly txTime: string;
  readonly details: EventDetails;
}

export interface EscrowEvent {
  readonly name: EventName;
  readonly payload: EventPayload;
}

export function escrowEvent(
  name: EventName,
  escrow: Escrow,
  actor: Actor,
  txTime: string,
  details: EventDetails = {},
): EscrowEvent {
  return {
    name,
    payload: {
      escrowId: escrow.escrowId,
      state: escrow.state,
      currency: escrow.currency,
      amount: escrow.amount,
      fundedAmount: escrow.fundedAmount,
      buyerRefund: escrow.buyerRefund,
      sellerPayout: escrow.sellerPayout,
      fee: escrow.fee,
      actor,
      txTime,
      details,
    },
  };
}

/**
 * The event as it is emitted into the block, which every channel member receives: which escrow,
 * its new state, when, and the org and role that acted. The full payload (amounts, the acting
 * user, the details) is kept in the trade's terms collection with the version (termsRecord.ts).
 */
export interface PublicEventPayload {
  readonly escrowId: string;
  readonly state: string;
  readonly txTime: string;
  readonly actor: PublicActor;
}

export function publicEventPayloadOf(payload: EventPayload): PublicEventPayload {
  return {
    escrowId: payload.escrowId,
    state: payload.state,
    txTime: payload.txTime,
    actor: { organization: payload.actor.organization, role: payload.actor.role },
  };
}
