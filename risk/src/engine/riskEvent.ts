// What the engine sees of one escrow event: the relay's message (its id, type, escrow, ledger time
// and payload) completed with the escrow's parties from the auditor's projection, since events name
// the acting org and role but not the trade's buyer and seller.
import type { NumericField, TextField } from '../rules/condition';

export interface Party {
  readonly marketplace: string;
  readonly userId: string;
}

export interface RiskEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly escrowId: string;
  /** The transaction's timestamp (ledger time), in ms since the epoch. */
  readonly at: number;
  readonly state: string;
  readonly currency: string;
  /** The escrow's amount after the event, in minor units. */
  readonly amount: number;
  readonly buyerRefund: number;
  readonly sellerPayout: number;
  readonly buyer: Party;
  readonly seller: Party;
}

export function partyKey(party: Party): string {
  return `${party.marketplace}/${party.userId}`;
}

export function fieldsOf(
  event: RiskEvent,
): Readonly<Record<NumericField, number>> & Readonly<Record<TextField, string>> {
  return {
    amount: event.amount,
    eventType: event.eventType,
    state: event.state,
    currency: event.currency,
    buyerMarketplace: event.buyer.marketplace,
    sellerMarketplace: event.seller.marketplace,
    buyerUserId: event.buyer.userId,
    sellerUserId: event.seller.userId,
  };
}

/** An amount as an integer of minor units, written exactly (never with an exponent) whatever its size. */
export function minorUnitsOf(amount: number): string {
  return BigInt(Math.max(0, Math.trunc(amount))).toString();
}

/** The ISO 4217 code, or null when the event carried none. */
export function currencyCodeOf(currency: string): string | null {
  return /^[A-Z]{3}$/.test(currency) ? currency : null;
}

function amountOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[0-9]{1,20}$/.test(value)) return Number(value);
  return 0;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The event's payload (`data` of the relay's message, or a transition row's payload) read for the engine. */
export function riskEventOf(
  envelope: { eventId: string; eventType: string; escrowId: string },
  data: Readonly<Record<string, unknown>>,
  parties: { buyer: Party; seller: Party },
): RiskEvent {
  const at = Date.parse(textOf(data['txTime']));
  return {
    ...envelope,
    at: Number.isNaN(at) ? 0 : at,
    state: textOf(data['state']),
    currency: textOf(data['currency']),
    amount: amountOf(data['amount']),
    buyerRefund: amountOf(data['buyerRefund']),
    sellerPayout: amountOf(data['sellerPayout']),
    ...parties,
  };
}
