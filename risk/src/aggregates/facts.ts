// The facts an escrow event adds to the aggregates: an escrow created, a dispute raised, a refund
// claimed, a dispute resolved (lost by the seller when the arbiter gave the buyer the larger share).
// Every other event adds none. Each fact keeps the trade's parties, so a metric can be read per
// buyer, per seller or per marketplace.
import type { FactKind } from '../rules/metrics';
import { partyKey, type RiskEvent } from '../engine/riskEvent';

export interface Fact {
  readonly eventId: string;
  readonly kind: FactKind;
  readonly escrowId: string;
  readonly buyer: string;
  readonly seller: string;
  readonly buyerMarketplace: string;
  readonly sellerMarketplace: string;
  readonly amount: number;
  /** For `resolved`: whether the seller lost the dispute. */
  readonly lost: boolean;
  /** Ledger time, ms since the epoch. */
  readonly at: number;
}

const KIND_OF_EVENT: Readonly<Record<string, FactKind>> = {
  EscrowCreated: 'created',
  DisputeRaised: 'dispute',
  ItemDisputed: 'dispute',
  Refunded: 'refund',
  Resolved: 'resolved',
};

export function factsOf(event: RiskEvent): Fact[] {
  const kind = KIND_OF_EVENT[event.eventType];
  if (kind === undefined) return [];
  return [
    {
      eventId: event.eventId,
      kind,
      escrowId: event.escrowId,
      buyer: partyKey(event.buyer),
      seller: partyKey(event.seller),
      buyerMarketplace: event.buyer.marketplace,
      sellerMarketplace: event.seller.marketplace,
      amount: event.amount,
      lost: kind === 'resolved' && event.buyerRefund > event.sellerPayout,
      at: event.at,
    },
  ];
}
