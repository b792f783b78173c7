// Agreement on changed terms before funding. Either side (the buyer or the seller, or across
// marketplaces a backend acting for its own customer) proposes new items (and so the amount), a new
// fee payer split or new deadlines, within the channel's bounds; the escrow then awaits the other
// side's consent and cannot be funded. The other side answers through the same accept and decline
// that answer the first proposal (stateMachine.ts hands a pending change to this module): accepted,
// the changed terms bind (a PROPOSED escrow becomes CREATED, both sides having now agreed); declined,
// the terms in force, or the still unaccepted first proposal, stay as they were. A new proposal
// replaces a pending one: `countered` when the other side makes it, `superseded` when its maker does.
//
// Deadlines: a separate tracking-submission deadline would add nothing to ship-by. Shipping is
// handing in the carrier and the tracking reference (`ship` requires both), so "ship by" and "submit
// tracking by" are one instant; the buyer moves it with extendShipBy, and after shipment deliverBy
// bounds the parcel (the keeper acts on it). Before funding, either side may propose a new ship-by here.
import type { ChannelSettings } from '../config/channelSettings';
import {
  DeadlinePassedError,
  ForbiddenActorError,
  InvalidInputError,
  InvalidStateError,
} from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { toStateJson } from '../ledger/stateSerializer';
import {
  type JsonObject,
  optional,
  requireInstant,
  requireMinorUnits,
  requireObject,
  toInstant,
} from '../validation/fields';
import { MAX_DEADLINE_HORIZON_MS } from './contractInfo';
import { parseBuyerFeeShare, parseDeliveryPeriod, parseInspectionPeriod, parseItems } from './createRequest';
import type { Escrow, Item, TermsChange } from './escrow';
import { escrowEvent, type EscrowEvent } from './events';
import { isBuyer, isSeller } from './guards';
import { MAX_AMOUNT, buyerPartOf, feeOn } from './money';

export type TermsSide = TermsChange['proposedBy'];

/** What a proposal may change: never the parties, the currency or the marketplace's fee rate. */
export const CHANGEABLE_TERMS = [
  'items',
  'amount',
  'feePayer',
  'buyerFeeShareBps',
  'fundBy',
  'shipBy',
  'inspectionPeriodSeconds',
  'deliveryPeriodSeconds',
] as const;

/** The transaction time and this endorser's clock, as the state machine's step holds them. */
export interface TermsClock {
  readonly now: number;
  readonly endorserNow: number;
}

interface TermsTransition {
  readonly escrow: Escrow;
  readonly event: EscrowEvent;
}

/**
 * The side an identity speaks for: the buyer or the seller user, or across marketplaces a backend
 * for its own customer. On one marketplace its backend would speak for both sides, so there only the
 * users may; neither the arbiter nor anyone outside the trade ever may.
 */
export function termsSideOf(escrow: Escrow, actor: Actor): TermsSide {
  if (isBuyer(escrow, actor)) return 'buyer';
  if (isSeller(escrow, actor)) return 'seller';
  if (actor.role === 'marketplace' && escrow.buyer.marketplace !== escrow.seller.marketplace) {
    if (actor.organization === escrow.buyer.marketplace) return 'buyer';
    if (actor.organization === escrow.seller.marketplace) return 'seller';
  }
  throw new ForbiddenActorError(
    `${actor.role} ${actor.userId}@${actor.organization} may not agree terms of ${escrow.escrowId}: ` +
      'only its buyer or seller, or across marketplaces the marketplace of one acting for it',
  );
}

function requireFundable(escrow: Escrow, action: string): void {
  if (escrow.state !== 'PROPOSED' && escrow.state !== 'CREATED')
    throw new InvalidStateError(action, escrow.state);
}

function itemsOf(fields: JsonObject, escrow: Escrow): { items: readonly Item[]; amount: bigint } {
  if (fields.items === undefined) {
    if (fields.amount !== undefined) throw new InvalidInputError('amount changes only with the items');
    return { items: escrow.items, amount: BigInt(escrow.amount) };
  }
  const { items, prices } = parseItems(fields.items);
  const amount = prices.reduce((total, price) => total + price, 0n);
  const declared = optional(fields.amount, (present) => requireMinorUnits(present, 'amount'));
  if (declared !== undefined && declared !== amount)
    throw new InvalidInputError('amount must equal the sum of the item prices');
  if (amount > MAX_AMOUNT) throw new InvalidInputError('amount is out of range');
  return { items, amount };
}

function deadlinesOf(
  fields: JsonObject,
  escrow: Escrow,
  clock: TermsClock,
): { fundByMs: number; shipByMs: number } {
  const fundByMs =
    fields.fundBy === undefined ? Date.parse(escrow.fundBy) : requireInstant(fields.fundBy, 'fundBy');
  const shipByMs =
    fields.shipBy === undefined ? Date.parse(escrow.shipBy) : requireInstant(fields.shipBy, 'shipBy');
  if (Math.max(clock.now, clock.endorserNow) >= fundByMs)
    throw new InvalidInputError('fundBy must be in the future');
  if (fundByMs > clock.now + MAX_DEADLINE_HORIZON_MS) throw new InvalidInputError('fundBy is too far ahead');
  if (shipByMs <= fundByMs) throw new InvalidInputError('shipBy must be after fundBy');
  if (shipByMs > fundByMs + MAX_DEADLINE_HORIZON_MS) throw new InvalidInputError('shipBy is too far ahead');
  // An acceptance after fund-by could never be funded.
  if (escrow.state === 'PROPOSED' && escrow.acceptBy !== null && fundByMs < Date.parse(escrow.acceptBy))
    throw new InvalidInputError('fundBy must not be before acceptBy');
  return { fundByMs, shipByMs };
}

function parseChange(
  request: unknown,
  escrow: Escrow,
  settings: ChannelSettings,
  clock: TermsClock,
): Omit<TermsChange, 'proposedBy' | 'actor' | 'proposedAt'> {
  const fields = requireObject(request, 'terms');
  const unchangeable = Object.keys(fields).filter(
    (key) => !(CHANGEABLE_TERMS as readonly string[]).includes(key),
  );
  if (unchangeable.length > 0) {
    throw new InvalidInputError(
      `${unchangeable.join(', ')} cannot be changed; a proposal changes ${CHANGEABLE_TERMS.join(', ')}`,
    );
  }
  const { items, amount } = itemsOf(fields, escrow);
  const feeTermGiven = fields.feePayer !== undefined || fields.buyerFeeShareBps !== undefined;
  const buyerFeeShareBps = feeTermGiven ? parseBuyerFeeShare(fields) : escrow.buyerFeeShareBps;
  const { fundByMs, shipByMs } = deadlinesOf(fields, escrow, clock);
  return {
    amount: amount.toString(),
    items,
    buyerFeeShareBps,
    buyerFee: buyerPartOf(feeOn(amount, escrow.feeBps), buyerFeeShareBps).toString(),
    fundBy: toInstant(fundByMs),
    shipBy: toInstant(shipByMs),
    inspectionPeriodSeconds:
      fields.inspectionPeriodSeconds === undefined
        ? escrow.inspectionPeriodSeconds
        : parseInspectionPeriod(fields.inspectionPeriodSeconds, settings),
    deliveryPeriodSeconds:
      fields.deliveryPeriodSeconds === undefined
        ? escrow.deliveryPeriodSeconds
        : parseDeliveryPeriod(fields.deliveryPeriodSeconds),
  };
}

type ChangedTerms = ReturnType<typeof parseChange>;

/** The changeable terms of an escrow or of a proposal (both carry them under the same names). */
function termsOf(source: ChangedTerms): ChangedTerms {
  const { amount, items, buyerFeeShareBps, buyerFee, fundBy, shipBy } = source;
  const { inspectionPeriodSeconds, deliveryPeriodSeconds } = source;
  return {
    amount,
    items,
    buyerFeeShareBps,
    buyerFee,
    fundBy,
    shipBy,
    inspectionPeriodSeconds,
    deliveryPeriodSeconds,
  };
}

function sameTerms(a: ChangedTerms, b: ChangedTerms): boolean {
  return toStateJson(termsOf(a)) === toStateJson(termsOf(b));
}

/** One side proposes changed terms before funding; it replaces any pending proposal. */
export function proposeTerms(
  escrow: Escrow,
  request: unknown,
  settings: ChannelSettings,
  actor: Actor,
  clock: TermsClock,
): TermsTransition {
  requireFundable(escrow, 'proposeTerms');
  const side = termsSideOf(escrow, actor);
  const terms = parseChange(request, escrow, settings, clock);
  if (sameTerms(terms, termsOf(escrow))) throw new InvalidInputError('the proposal changes no term');
  const at = toInstant(clock.now);
  const previous = escrow.termsChange;
  const replaced = previous === null ? null : previous.proposedBy === side ? 'superseded' : 'countered';
  const termsChange: TermsChange = { proposedBy: side, actor, proposedAt: at, ...terms };
  const changed: Escrow = { ...escrow, termsChange, updatedAt: at };
  return {
    escrow: changed,
    event: escrowEvent('TermsProposed', changed, actor, at, {
      proposedBy: side,
      amount: terms.amount,
      buyerFee: terms.buyerFee,
      buyerFeeShareBps: terms.buyerFeeShareBps,
      items: terms.items.length,
      fundBy: terms.fundBy,
      shipBy: terms.shipBy,
      inspectionPeriodSeconds: terms.inspectionPeriodSeconds,
      deliveryPeriodSeconds: terms.deliveryPeriodSeconds,
      replaced,
    }),
  };
}

/**
 * The other side answers the pending change (the proposer may not answer its own). Accepting needs
 * the escrow still fundable on both clocks: before acceptBy for a first proposal, and before the
 * changed fund-by.
 */
export function answerTermsChange(
  escrow: Escrow,
  answer: 'accepted' | 'declined',
  actor: Actor,
  clock: TermsClock,
): TermsTransition {
  const change = escrow.termsChange;
  requireFundable(escrow, answer === 'accepted' ? 'accept' : 'decline');
  if (change === null)
    throw new InvalidStateError(answer === 'accepted' ? 'accept' : 'decline', escrow.state);
  const side = termsSideOf(escrow, actor);
  if (side === change.proposedBy)
    throw new ForbiddenActorError(`the ${side} may not answer its own proposal`);
  const at = toInstant(clock.now);
  const details = { proposedBy: change.proposedBy, amount: change.amount };
  if (answer === 'declined') {
    const kept: Escrow = { ...escrow, termsChange: null, updatedAt: at };
    return { escrow: kept, event: escrowEvent('TermsDeclined', kept, actor, at, details) };
  }
  const latest = Math.max(clock.now, clock.endorserNow);
  if (escrow.state === 'PROPOSED' && escrow.acceptBy !== null && latest > Date.parse(escrow.acceptBy))
    throw new DeadlinePassedError('acceptBy', at);
  if (latest > Date.parse(change.fundBy)) throw new DeadlinePassedError('fundBy', at);
  const agreed: Escrow = {
    ...escrow,
    ...termsOf(change),
    state: 'CREATED',
    acceptance: { acceptedAt: at, acceptedBy: actor },
    termsChange: null,
    updatedAt: at,
  };
  return { escrow: agreed, event: escrowEvent('TermsAccepted', agreed, actor, at, details) };
}
