// The escrow rules as a pure function: (escrow, command, actor, time) -> new escrow + one event.
// No Fabric here: the contract loads and stores, this decides. A refusal throws an EscrowError
// and produces nothing, so a refused command can never change state.
import type { ChannelSettings, MissedDeliveryOutcome } from '../config/channelSettings';
import { type MarketplaceRegistry, requireTradingMarketplace } from '../config/marketplaceRegistry';
import {
  AlreadySettledError,
  DeadlineNotExtendedError,
  DeadlineNotReachedError,
  DeadlinePassedError,
  EscrowExistsError,
  InvalidInputError,
  InvalidStateError,
  NotAcceptedError,
  PrivateDetailsNotFoundError,
} from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { collectionFor } from '../privateData/collections';
import {
  LIMITS,
  requireArray,
  requireId,
  requireInstant,
  requireMinorUnits,
  requireOneOf,
  requireReference,
  requireSha256Hex,
  requireText,
  toInstant,
} from '../validation/fields';
import { DEFAULT_ACCEPTANCE_PERIOD_SECONDS, MAX_DEADLINE_HORIZON_MS } from './contractInfo';
import { parseCreateRequest } from './createRequest';
import { type Escrow, type EscrowState, PAYEES, type Payee, isTerminal } from './escrow';
import { type EscrowEvent, type EventDetails, type EventName, escrowEvent } from './events';
import {
  isBuyer,
  isParty,
  requireArbiter,
  requireBuyer,
  requireRiskClearer,
  requireRiskService,
  requireBuyerOrTrustedCarrier,
  requireCounterparty,
  requireMarketplaceOf,
  requirePartyOperator,
  requirePaymentsIdentityOf,
  requireSeller,
} from './guards';
import {
  type ItemCommand,
  applyItemCommand,
  endOpenItems,
  isItemCommand,
  recordItemSettlement,
} from './itemLifecycle';
import { amountDue, buyerPartOf, feeOn } from './money';
import { clearedFlags, parseRiskFlagRequest, raisedFlags, requireNotHeld } from './riskFlags';
import { answerOffer, makeOffer, offerSideOf } from './settlementOffers';
import { type Step, before, passed, reached, within } from './stepClock';
import { answerTermsChange } from './termsChange';

export { MAX_DEADLINE_HORIZON_MS } from './contractInfo';

export type Command =
  | {
      readonly type: 'create';
      readonly escrowId: string;
      readonly request: unknown;
      readonly privateDetailsHash: string | null;
      /** The channel's bounds on fee and inspection window, as the ledger holds them now. */
      readonly settings: ChannelSettings;
      /** The marketplace registry as the ledger holds it now (undefined before registration). */
      readonly marketplaces: MarketplaceRegistry | undefined;
    }
  | { readonly type: 'accept' }
  | { readonly type: 'decline' }
  | { readonly type: 'expireProposal' }
  | {
      readonly type: 'fund';
      readonly amount: string;
      readonly currency: string;
      readonly providerRef: string;
    }
  | { readonly type: 'ship'; readonly carrier: string; readonly trackingRef: string }
  | { readonly type: 'confirmDelivery' }
  | { readonly type: 'release' }
  | { readonly type: 'dispute'; readonly reason: string; readonly evidenceHashes: unknown }
  | { readonly type: 'resolve'; readonly buyerRefund: string }
  | { readonly type: 'cancel' }
  | { readonly type: 'claimRefund' }
  | { readonly type: 'extendShipBy'; readonly shipBy: string }
  | {
      readonly type: 'expireDelivery';
      /** The channel's rule for a missed delivery deadline, as the ledger holds it now. */
      readonly outcome: MissedDeliveryOutcome;
    }
  | { readonly type: 'offerSettlement'; readonly buyerRefund: string; readonly expiresAt?: string }
  | { readonly type: 'acceptOffer' }
  | { readonly type: 'declineOffer' }
  | {
      readonly type: 'recordSettlement';
      readonly payee: string;
      readonly providerRef: string;
      /**
       * The marketplace whose payments identity records it: the buyer's (it holds the funds) unless
       * the seller's part was netted into a settled statement, then the seller's (statements.ts).
       */
      readonly paidBy?: string;
      /** The ended item whose own refund or payout this is, for an escrow moving per item. */
      readonly item?: unknown;
    }
  | { readonly type: 'erasePrivateDetails' }
  /** Oversight's risk service flags the escrow (riskFlags.ts); `flag` is the transaction's flagJson. */
  | { readonly type: 'raiseRiskFlag'; readonly flag: unknown }
  | { readonly type: 'clearRiskFlag'; readonly rule: unknown; readonly reason: unknown }
  | ItemCommand
  | {
      readonly type: 'endSuspended';
      /** The party marketplace governance suspended (the contract finds it in the registry). */
      readonly suspendedMarketplace: string;
      /** The arbiter's refund to the buyer; required once the escrow was funded. */
      readonly buyerRefund: string | undefined;
    };

export type CommandType = Command['type'];

export interface Transition {
  readonly escrow: Escrow;
  readonly event: EscrowEvent;
}

/**
 * `nowMs` is the transaction time; `endorserNowMs` the endorser's clock (the contract passes
 * Date.now(); it defaults to the transaction time for callers with a single clock).
 */
export function applyCommand(
  escrow: Escrow | undefined,
  command: Command,
  actor: Actor,
  nowMs: number,
  endorserNowMs: number = nowMs,
): Transition {
  const step: Step = { now: nowMs, endorserNow: endorserNowMs, at: toInstant(nowMs), actor };
  if (command.type === 'create') {
    if (escrow !== undefined) throw new EscrowExistsError(escrow.escrowId);
    return create(command, step);
  }
  if (escrow === undefined) throw new InvalidStateError(command.type, 'NONE');
  if (isItemCommand(command)) return applyItemCommand(escrow, command, step);
  if (escrow.itemLifecycles !== null && ITEM_DRIVEN.includes(command.type))
    throw new InvalidStateError(command.type, `${escrow.state} (the escrow moves per item: act on an item)`);
  switch (command.type) {
    case 'accept':
      return accept(escrow, step);
    case 'decline':
      return decline(escrow, step);
    case 'expireProposal':
      return expireProposal(escrow, step);
    case 'fund':
      return fund(escrow, command, step);
    case 'ship':
      return ship(escrow, command, step);
    case 'confirmDelivery':
      return confirmDelivery(escrow, step);
    case 'release':
      return release(escrow, step);
    case 'dispute':
      return dispute(escrow, command, step);
    case 'resolve':
      return resolve(escrow, command, step);
    case 'cancel':
      return cancel(escrow, step);
    case 'claimRefund':
      return claimRefund(escrow, step);
    case 'extendShipBy':
      return extendShipBy(escrow, command, step);
    case 'expireDelivery':
      return expireDelivery(escrow, command, step);
    case 'offerSettlement':
      return offerSettlement(escrow, command, step);
    case 'acceptOffer':
      return answerSettlementOffer(escrow, 'accepted', step);
    case 'declineOffer':
      return answerSettlementOffer(escrow, 'declined', step);
    case 'recordSettlement':
      return recordSettlement(escrow, command, step);
    case 'endSuspended':
      return endSuspended(escrow, command, step);
    case 'erasePrivateDetails':
      return erasePrivateDetails(escrow, step);
    case 'raiseRiskFlag':
      return raiseRiskFlag(escrow, command, step);
    case 'clearRiskFlag':
      return clearRiskFlag(escrow, command, step);
  }
}

/**
 * What an escrow split into items refuses at the escrow level: each moves goods or money of every
 * item at once, which the items now decide one by one (itemLifecycle.ts).
 */
const ITEM_DRIVEN: readonly CommandType[] = [
  'ship',
  'confirmDelivery',
  'release',
  'dispute',
  'resolve',
  'cancel',
  'claimRefund',
  'expireDelivery',
  'offerSettlement',
  'acceptOffer',
  'declineOffer',
];

function requireState(escrow: Escrow, action: string, allowed: readonly EscrowState[]): void {
  if (!allowed.includes(escrow.state)) throw new InvalidStateError(action, escrow.state);
}

function transition(
  name: EventName,
  before: Escrow,
  changes: Partial<Escrow>,
  step: Step,
  details?: EventDetails,
): Transition {
  const escrow: Escrow = { ...before, ...changes, updatedAt: step.at };
  return { escrow, event: escrowEvent(name, escrow, step.actor, step.at, details) };
}

function create(command: Extract<Command, { type: 'create' }>, step: Step): Transition {
  const escrowId = requireId(command.escrowId, 'escrowId');
  const request = parseCreateRequest(command.request, command.settings);
  requireTradingMarketplace(command.marketplaces, request.buyer.marketplace, 'buyer.marketplace');
  requireTradingMarketplace(command.marketplaces, request.seller.marketplace, 'seller.marketplace');
  requireMarketplaceOf(request, step.actor);
  if (request.fundByMs <= step.now) throw new InvalidInputError('fundBy must be in the future');
  if (request.fundByMs > step.now + MAX_DEADLINE_HORIZON_MS)
    throw new InvalidInputError('fundBy is too far ahead');
  if (request.shipByMs <= request.fundByMs) throw new InvalidInputError('shipBy must be after fundBy');
  if (request.shipByMs > request.fundByMs + MAX_DEADLINE_HORIZON_MS)
    throw new InvalidInputError('shipBy is too far ahead');
  const acceptByMs = acceptanceDeadline(request.acceptByMs, request.fundByMs, command.settings, step);
  const hash =
    command.privateDetailsHash === null
      ? null
      : requireSha256Hex(command.privateDetailsHash, 'privateDetailsHash');
  const escrow: Escrow = {
    docType: 'escrow',
    escrowId,
    state: 'PROPOSED',
    buyer: request.buyer,
    seller: request.seller,
    currency: request.currency,
    amount: request.amount.toString(),
    feeBps: request.feeBps,
    buyerFeeShareBps: request.buyerFeeShareBps,
    buyerFee: buyerPartOf(feeOn(request.amount, request.feeBps), request.buyerFeeShareBps).toString(),
    items: request.items,
    acceptBy: toInstant(acceptByMs),
    fundBy: toInstant(request.fundByMs),
    shipBy: toInstant(request.shipByMs),
    inspectionPeriodSeconds: request.inspectionPeriodSeconds,
    deliveryPeriodSeconds: request.deliveryPeriodSeconds,
    deliverBy: null,
    createdAt: step.at,
    createdBy: step.actor,
    updatedAt: step.at,
    fundedAmount: '0',
    buyerRefund: '0',
    sellerPayout: '0',
    fee: '0',
    acceptance: null,
    termsChange: null,
    funding: null,
    shipment: null,
    delivery: null,
    dispute: null,
    offers: [],
    closure: null,
    settlements: { buyer: null, seller: null },
    privateDetails:
      hash === null
        ? null
        : {
            collection: collectionFor(request.buyer.marketplace, request.seller.marketplace),
            hash,
            erasedAt: null,
          },
    itemLifecycles: null,
    riskFlags: [],
  };
  return { escrow, event: escrowEvent('EscrowCreated', escrow, step.actor, step.at) };
}

/**
 * The proposal's acceptance deadline: as requested, or the default period; never past fund-by (an
 * acceptance after it could not be funded) nor further ahead than the channel allows.
 */
function acceptanceDeadline(
  requested: number | undefined,
  fundByMs: number,
  settings: ChannelSettings,
  step: Step,
): number {
  const latest = step.now + settings.maxAcceptancePeriodSeconds * 1000;
  const acceptByMs =
    requested ?? Math.min(step.now + DEFAULT_ACCEPTANCE_PERIOD_SECONDS * 1000, latest, fundByMs);
  if (acceptByMs <= step.now) throw new InvalidInputError('acceptBy must be in the future');
  if (acceptByMs > fundByMs) throw new InvalidInputError('acceptBy must not be after fundBy');
  if (acceptByMs > latest) {
    throw new InvalidInputError(
      `acceptBy must be within the channel's ${settings.maxAcceptancePeriodSeconds} seconds of creation`,
    );
  }
  return acceptByMs;
}

/**
 * The counterparty agrees to the terms while the proposal is open: from now on they bind. With
 * changed terms pending, accept and decline answer those instead (termsChange.ts).
 */
function accept(escrow: Escrow, step: Step): Transition {
  if (escrow.termsChange !== null) return answerTermsChange(escrow, 'accepted', step.actor, step);
  requireState(escrow, 'accept', ['PROPOSED']);
  requireCounterparty(escrow, step.actor);
  if (escrow.acceptBy === null || !within(step, Date.parse(escrow.acceptBy))) {
    throw new DeadlinePassedError('acceptBy', step.at);
  }
  const acceptance = { acceptedAt: step.at, acceptedBy: step.actor };
  return transition('EscrowAccepted', escrow, { state: 'CREATED', acceptance }, step);
}

/** Declining changed terms keeps the terms in force; declining the first proposal ends it. */
function decline(escrow: Escrow, step: Step): Transition {
  if (escrow.termsChange !== null) return answerTermsChange(escrow, 'declined', step.actor, step);
  requireState(escrow, 'decline', ['PROPOSED']);
  requireCounterparty(escrow, step.actor);
  return close('EscrowDeclined', escrow, 0n, step);
}

/** Anyone (the keeper) may end a proposal nobody accepted once its deadline has passed. */
function expireProposal(escrow: Escrow, step: Step): Transition {
  requireState(escrow, 'expireProposal', ['PROPOSED']);
  if (escrow.acceptBy !== null && !passed(step, Date.parse(escrow.acceptBy))) {
    throw new DeadlineNotReachedError('acceptBy', step.at);
  }
  return close('EscrowExpired', escrow, 0n, step);
}

function fund(escrow: Escrow, command: Extract<Command, { type: 'fund' }>, step: Step): Transition {
  // Money moves only on terms both parties agreed to (records from before consent hold none).
  const unagreed = escrow.acceptance === null || escrow.termsChange !== null;
  if (escrow.state === 'PROPOSED' || (escrow.state === 'CREATED' && unagreed)) {
    throw new NotAcceptedError('fund', escrow.escrowId);
  }
  requireState(escrow, 'fund', ['CREATED']);
  requirePaymentsIdentityOf(escrow.buyer.marketplace, step.actor);
  if (!within(step, Date.parse(escrow.fundBy))) throw new DeadlinePassedError('fundBy', step.at);
  const providerRef = requireReference(command.providerRef, 'providerRef');
  if (requireText(command.currency, 'currency', 3) !== escrow.currency) {
    throw new InvalidInputError(`currency must be ${escrow.currency}`);
  }
  // The buyer pays the goods and its share of the fee, in one payment.
  const due = amountDue(escrow);
  if (requireMinorUnits(command.amount, 'amount') !== BigInt(due)) {
    throw new InvalidInputError(`amount must be exactly ${due}`);
  }
  const funding = { providerRef, fundedAt: step.at, fundedBy: step.actor };
  return transition('PaymentConfirmed', escrow, { state: 'FUNDED', fundedAmount: due, funding }, step, {
    providerRef,
  });
}

function ship(escrow: Escrow, command: Extract<Command, { type: 'ship' }>, step: Step): Transition {
  requireState(escrow, 'ship', ['FUNDED']);
  requireSeller(escrow, step.actor);
  if (!within(step, Date.parse(escrow.shipBy))) throw new DeadlinePassedError('shipBy', step.at);
  const shipment = {
    carrier: requireText(command.carrier, 'carrier', LIMITS.idLength),
    trackingRef: requireReference(command.trackingRef, 'trackingRef'),
    shippedAt: step.at,
  };
  const period = escrow.deliveryPeriodSeconds;
  const deliverBy = period === null ? null : toInstant(step.now + period * 1000);
  return transition('Shipped', escrow, { state: 'SHIPPED', shipment, deliverBy }, step, {
    carrier: shipment.carrier,
    trackingRef: shipment.trackingRef,
    deliverBy,
  });
}

function confirmDelivery(escrow: Escrow, step: Step): Transition {
  requireState(escrow, 'confirmDelivery', ['SHIPPED']);
  requireBuyerOrTrustedCarrier(escrow, step.actor);
  const inspectionEndsAt = toInstant(step.now + escrow.inspectionPeriodSeconds * 1000);
  const delivery = { deliveredAt: step.at, inspectionEndsAt, confirmedBy: step.actor };
  return transition('DeliveryConfirmed', escrow, { state: 'DELIVERED', delivery }, step, {
    inspectionEndsAt,
  });
}

function release(escrow: Escrow, step: Step): Transition {
  requireState(escrow, 'release', ['SHIPPED', 'DELIVERED']);
  if (!isBuyer(escrow, step.actor)) {
    // Anyone may trigger the automatic release, but only once the inspection window is over.
    if (escrow.delivery === null) requireBuyer(escrow, step.actor);
    else if (!reached(step, Date.parse(escrow.delivery.inspectionEndsAt))) {
      throw new DeadlineNotReachedError('inspection window', step.at);
    }
    requireNotHeld(escrow, 'release');
  }
  return close('Released', escrow, 0n, step);
}

function dispute(escrow: Escrow, command: Extract<Command, { type: 'dispute' }>, step: Step): Transition {
  requireState(escrow, 'dispute', ['FUNDED', 'SHIPPED', 'DELIVERED']);
  requireBuyer(escrow, step.actor);
  if (escrow.state === 'FUNDED' && !passed(step, Date.parse(escrow.shipBy))) {
    throw new DeadlineNotReachedError('shipBy', step.at);
  }
  if (escrow.delivery !== null && !before(step, Date.parse(escrow.delivery.inspectionEndsAt))) {
    throw new DeadlinePassedError('inspection window', step.at);
  }
  const reason = requireText(command.reason, 'reason');
  const evidenceHashes = requireArray(command.evidenceHashes, 'evidenceHashes', LIMITS.evidenceHashes).map(
    (hash, index) => requireSha256Hex(hash, `evidenceHashes[${index}]`),
  );
  const record = { raisedAt: step.at, reason, evidenceHashes };
  return transition('DisputeRaised', escrow, { state: 'DISPUTED', dispute: record }, step, { reason });
}

function resolve(escrow: Escrow, command: Extract<Command, { type: 'resolve' }>, step: Step): Transition {
  requireState(escrow, 'resolve', ['DISPUTED']);
  requireArbiter(step.actor);
  return close('Resolved', escrow, requireRefundOfGoods(escrow, command.buyerRefund), step);
}

/** A split's refund: of the funded goods amount (the buyer's fee share follows the split by itself). */
function requireRefundOfGoods(escrow: Escrow, value: string): bigint {
  const buyerRefund = requireMinorUnits(value, 'buyerRefund');
  const goods = fundedGoods(escrow);
  if (buyerRefund > goods) {
    throw new InvalidInputError(`buyerRefund must not exceed the funded goods amount ${goods.toString()}`);
  }
  return buyerRefund;
}

function cancel(escrow: Escrow, step: Step): Transition {
  requireState(escrow, 'cancel', ['PROPOSED', 'CREATED', 'FUNDED']);
  if (escrow.state === 'FUNDED') {
    requireSeller(escrow, step.actor);
    return close('Cancelled', escrow, fundedGoods(escrow), step);
  }
  // Before funding (accepted or not) either party may walk away; once fund-by has passed anyone may.
  if (!isParty(escrow, step.actor) && !passed(step, Date.parse(escrow.fundBy))) {
    throw new DeadlineNotReachedError('fundBy', step.at);
  }
  return close('Cancelled', escrow, 0n, step);
}

/** The buyer takes everything back once the seller missed ship-by, or the parcel missed deliver-by. */
function claimRefund(escrow: Escrow, step: Step): Transition {
  requireState(escrow, 'claimRefund', ['FUNDED', 'SHIPPED']);
  requireBuyer(escrow, step.actor);
  if (escrow.state === 'FUNDED' && !passed(step, Date.parse(escrow.shipBy)))
    throw new DeadlineNotReachedError('shipBy', step.at);
  if (escrow.state === 'SHIPPED') {
    if (escrow.deliverBy === null)
      throw new InvalidStateError('claimRefund', 'SHIPPED (the terms set no delivery deadline)');
    if (!passed(step, Date.parse(escrow.deliverBy))) throw new DeadlineNotReachedError('deliverBy', step.at);
  }
  return close('Refunded', escrow, fundedGoods(escrow), step);
}

/**
 * The buyer gives the seller more time to ship (ship-by is also the deadline to hand in tracking,
 * which shipping records): only later, only while it is still open, within the horizon.
 */
function extendShipBy(
  escrow: Escrow,
  command: Extract<Command, { type: 'extendShipBy' }>,
  step: Step,
): Transition {
  requireState(escrow, 'extendShipBy', ['CREATED', 'FUNDED']);
  requireBuyer(escrow, step.actor);
  const currentMs = Date.parse(escrow.shipBy);
  if (!within(step, currentMs)) throw new DeadlinePassedError('shipBy', step.at);
  const shipByMs = requireInstant(command.shipBy, 'shipBy');
  if (shipByMs <= currentMs) throw new DeadlineNotExtendedError('shipBy', escrow.shipBy);
  if (shipByMs > currentMs + MAX_DEADLINE_HORIZON_MS) throw new InvalidInputError('shipBy is too far ahead');
  const shipBy = toInstant(shipByMs);
  return transition('ShipByExtended', escrow, { shipBy }, step, { previousShipBy: escrow.shipBy, shipBy });
}

/**
 * Anyone (the keeper) applies the channel's rule to a shipment whose delivery deadline passed
 * unconfirmed: a dispute for the arbiter, or a full refund (channelSettings.ts says why).
 */
function expireDelivery(
  escrow: Escrow,
  command: Extract<Command, { type: 'expireDelivery' }>,
  step: Step,
): Transition {
  requireState(escrow, 'expireDelivery', ['SHIPPED']);
  if (escrow.deliverBy === null)
    throw new InvalidStateError('expireDelivery', 'SHIPPED (the terms set no delivery deadline)');
  if (!passed(step, Date.parse(escrow.deliverBy))) throw new DeadlineNotReachedError('deliverBy', step.at);
  const details = { outcome: command.outcome, deliverBy: escrow.deliverBy };
  if (command.outcome === 'refund')
    return close('DeliveryOverdue', escrow, fundedGoods(escrow), step, details);
  const dispute = { raisedAt: step.at, reason: 'delivery deadline passed', evidenceHashes: [] };
  return transition('DeliveryOverdue', escrow, { state: 'DISPUTED', dispute }, step, details);
}

/**
 * Either party proposes to end the dispute at a split, before the arbiter decides
 * (settlementOffers.ts: a new offer replaces an open one).
 */
function offerSettlement(
  escrow: Escrow,
  command: Extract<Command, { type: 'offerSettlement' }>,
  step: Step,
): Transition {
  requireState(escrow, 'offerSettlement', ['DISPUTED']);
  const side = offerSideOf(escrow, step);
  const buyerRefund = requireRefundOfGoods(escrow, command.buyerRefund);
  const made = makeOffer(escrow.escrowId, escrow.offers, side, buyerRefund, command.expiresAt, step);
  return transition('SettlementOffered', escrow, { offers: made.offers }, step, {
    offeredBy: side,
    buyerRefund: made.offer.buyerRefund,
    expiresAt: made.offer.expiresAt,
    replaced: made.replaced,
  });
}

/**
 * The other side answers the open offer before it expires: accepted, the escrow resolves at its
 * split with no arbiter (the fee from the seller's share, as the arbiter's resolution); declined,
 * the dispute goes on.
 */
function answerSettlementOffer(escrow: Escrow, answer: 'accepted' | 'declined', step: Step): Transition {
  const action = answer === 'accepted' ? 'acceptSettlementOffer' : 'declineSettlementOffer';
  requireState(escrow, action, ['DISPUTED']);
  const side = offerSideOf(escrow, step);
  const { offers, offer } = answerOffer(escrow.escrowId, escrow.offers, side, answer, step);
  const details = { offeredBy: offer.offeredBy, buyerRefund: offer.buyerRefund };
  if (answer === 'declined') return transition('SettlementOfferDeclined', escrow, { offers }, step, details);
  return close('SettlementOfferAccepted', { ...escrow, offers }, BigInt(offer.buyerRefund), step, details);
}

/**
 * Oversight's arbiter ends an open escrow one of whose marketplaces governance suspended, since that
 * side can no longer act: nothing funded yet ends cancelled (nothing moved); once funded (FUNDED,
 * SHIPPED, DELIVERED or DISPUTED) it ends RESOLVED with the arbiter's split, as a dispute would;
 * split into items, each open item ends so (itemLifecycle.ts endOpenItems).
 */
function endSuspended(
  escrow: Escrow,
  command: Extract<Command, { type: 'endSuspended' }>,
  step: Step,
): Transition {
  requireArbiter(step.actor);
  const details = { suspendedMarketplace: command.suspendedMarketplace };
  if (escrow.state === 'PROPOSED' || escrow.state === 'CREATED')
    return close('Cancelled', escrow, 0n, step, details);
  requireState(escrow, 'endSuspendedEscrow', ['FUNDED', 'SHIPPED', 'DELIVERED', 'DISPUTED']);
  if (command.buyerRefund === undefined)
    throw new InvalidInputError('buyerRefund is required to end a funded escrow');
  // Split into items, the open ones end one by one: the whole-escrow split would undo the ended ones.
  if (escrow.itemLifecycles !== null) return endOpenItems(escrow, command.buyerRefund, step, details);
  return close('Resolved', escrow, requireRefundOfGoods(escrow, command.buyerRefund), step, details);
}

type ClosingEvent =
  | 'Released'
  | 'Resolved'
  | 'Cancelled'
  | 'Refunded'
  | 'EscrowDeclined'
  | 'EscrowExpired'
  | 'SettlementOfferAccepted'
  | 'DeliveryOverdue';

/** A declined or expired proposal ends like a cancellation before funding: nothing moved. */
const TERMINAL_STATE_OF: Readonly<Record<ClosingEvent, EscrowState>> = {
  Released: 'RELEASED',
  Resolved: 'RESOLVED',
  Cancelled: 'CANCELLED',
  Refunded: 'REFUNDED',
  EscrowDeclined: 'CANCELLED',
  EscrowExpired: 'CANCELLED',
  SettlementOfferAccepted: 'RESOLVED',
  // Only the channel's `refund` rule closes on a missed delivery; `dispute` leaves it DISPUTED.
  DeliveryOverdue: 'REFUNDED',
};

/** The buyer's fee share held with the funding: nothing before funding. */
function heldBuyerFee(escrow: Escrow): bigint {
  return escrow.fundedAmount === '0' ? 0n : BigInt(escrow.buyerFee);
}

/** What was funded for the goods themselves: the funding less the buyer's fee share. */
function fundedGoods(escrow: Escrow): bigint {
  return BigInt(escrow.fundedAmount) - heldBuyerFee(escrow);
}

/**
 * Ends the escrow: the buyer gets `goodsRefund` back; the fee is charged on the seller's share only,
 * the buyer bearing its agreed part of that fee out of what it prepaid and getting the rest back.
 */
function close(
  name: ClosingEvent,
  escrow: Escrow,
  goodsRefund: bigint,
  step: Step,
  details?: EventDetails,
): Transition {
  const sellerShare = fundedGoods(escrow) - goodsRefund;
  const fee = feeOn(sellerShare, escrow.feeBps);
  const buyerPart = buyerPartOf(fee, escrow.buyerFeeShareBps);
  return transition(
    name,
    escrow,
    {
      state: TERMINAL_STATE_OF[name],
      buyerRefund: (goodsRefund + heldBuyerFee(escrow) - buyerPart).toString(),
      sellerPayout: (sellerShare - (fee - buyerPart)).toString(),
      fee: fee.toString(),
      closure: { closedAt: step.at, closedBy: step.actor },
    },
    step,
    details,
  );
}

function recordSettlement(
  escrow: Escrow,
  command: Extract<Command, { type: 'recordSettlement' }>,
  step: Step,
): Transition {
  if (command.item !== undefined) {
    requirePaymentsIdentityOf(command.paidBy ?? escrow.buyer.marketplace, step.actor);
    const payee: Payee = requireOneOf(command.payee, 'payee', PAYEES);
    const providerRef = requireReference(command.providerRef, 'providerRef');
    return recordItemSettlement(escrow, command.item, payee, providerRef, step);
  }
  if (!isTerminal(escrow.state)) throw new InvalidStateError('recordSettlement', escrow.state);
  requirePaymentsIdentityOf(command.paidBy ?? escrow.buyer.marketplace, step.actor);
  const payee: Payee = requireOneOf(command.payee, 'payee', PAYEES);
  const providerRef = requireReference(command.providerRef, 'providerRef');
  const owed = payee === 'buyer' ? escrow.buyerRefund : escrow.sellerPayout;
  if (owed === '0') throw new InvalidInputError(`nothing is owed to the ${payee}`);
  // Items settled one by one moved this payee's money already, item by item.
  const itemSettled = (escrow.itemLifecycles ?? []).some((item) => item.settlements[payee] !== null);
  if (escrow.settlements[payee] !== null || itemSettled)
    throw new AlreadySettledError(escrow.escrowId, payee);
  const settlement = { amount: owed, providerRef, recordedAt: step.at, recordedBy: step.actor };
  const settlements = { ...escrow.settlements, [payee]: settlement };
  return transition('SettlementRecorded', escrow, { settlements }, step, {
    payee,
    amount: owed,
    providerRef,
  });
}

function erasePrivateDetails(escrow: Escrow, step: Step): Transition {
  requirePartyOperator(escrow, step.actor);
  if (escrow.privateDetails === null || escrow.privateDetails.erasedAt !== null) {
    throw new PrivateDetailsNotFoundError(escrow.escrowId);
  }
  const privateDetails = { ...escrow.privateDetails, erasedAt: step.at };
  return transition('PrivateDetailsErased', escrow, { privateDetails }, step, {
    collection: privateDetails.collection,
  });
}

/** Oversight's risk service flags the escrow; the flag's rule must not be active already. */
function raiseRiskFlag(
  escrow: Escrow,
  command: Extract<Command, { type: 'raiseRiskFlag' }>,
  step: Step,
): Transition {
  requireRiskService(step.actor);
  const request = parseRiskFlagRequest(command.flag);
  const riskFlags = raisedFlags(escrow, request, step.actor, step.at);
  return transition('RiskFlagRaised', escrow, { riskFlags }, step, {
    rule: request.rule,
    reasonCode: request.reasonCode,
    severity: request.severity,
    action: request.action,
    by: `${step.actor.userId}@${step.actor.organization}`,
  });
}

/** The risk service or an arbiter clears an active flag, with a reason. */
function clearRiskFlag(
  escrow: Escrow,
  command: Extract<Command, { type: 'clearRiskFlag' }>,
  step: Step,
): Transition {
  requireRiskClearer(step.actor);
  const { flags, flag } = clearedFlags(escrow, command.rule, command.reason, step.actor, step.at);
  return transition('RiskFlagCleared', escrow, { riskFlags: flags }, step, {
    rule: flag.rule,
    reasonCode: flag.reasonCode,
    severity: flag.severity,
    action: flag.action,
    by: `${step.actor.userId}@${step.actor.organization}`,
    reason: flag.clearReason,
  });
}
