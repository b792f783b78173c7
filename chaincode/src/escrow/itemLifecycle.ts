// Items and milestones: one lifecycle per item once the escrow is funded.
//
// The escrow is agreed and funded once, for the whole (consent and funding are unchanged). Its items
// then move on their own when a party acts on one of them by index (shipItem, confirmItemDelivery,
// releaseItem, disputeItem, resolveItem, and the reject-and-return path): the first item-level
// transaction splits the escrow into item lifecycles, each starting where the escrow stood (FUNDED,
// SHIPPED or DELIVERED, with its shipment and delivery). Until then nothing changes: an escrow that
// is never acted on per item, every record written before items had lifecycles, and every one-item
// escrow driven by the escrow-level transactions behave exactly as before. Once split, the
// escrow-level transactions that move goods or money are refused (INVALID_STATE): each item is
// driven on its own, so no transaction can act on items it does not name.
//
// Per item:  FUNDED → SHIPPED → DELIVERED → RELEASED
//            FUNDED (past ship-by) | SHIPPED | DELIVERED (within inspection) → DISPUTED → RESOLVED
//            DELIVERED (within inspection) → REJECTED → (seller's return address) → RETURN_SHIPPED
//              → REFUNDED (the seller confirms the return, or its deadline passes)
//              → DISPUTED (the seller disputes the returned goods' condition) → RESOLVED
//            DISPUTED → RESOLVED also when one party accepts the other's settlement offer for the
//              item (offerItemSettlement, acceptItemOffer, declineItemOffer: settlementOffers.ts,
//              the escrow-level mechanism on the item's own offers), with no arbiter
//            REJECTED with no return address past addressBy → REFUNDED (the seller forfeits the return);
//            REJECTED with an address the buyer did not ship back by shipBackBy → RELEASED (kept).
// A dispute freezes only its item. The escrow's own state follows its items: DISPUTED while any item
// is (so the escrow's endorsement policy widens to the arbiter exactly as for an escrow-level
// dispute), else the least advanced open item's (FUNDED, SHIPPED, DELIVERED; a rejected item counts
// as DELIVERED, a return in transit as SHIPPED); once every item has ended, RELEASED if all were
// released, REFUNDED if all were refunded, else RESOLVED, with buyerRefund, sellerPayout and fee the
// sums of the items'.
//
// Money: each item carries its part of the buyer's fee share: the buyer's part of the fee on its
// price, and the rounding the whole-amount fee leaves over given one minor unit at a time from the
// first item on, so the parts sum exactly to the escrow's buyerFee. An item closes as the escrow
// does (stateMachine.ts close): the fee comes only from the seller's share of that item, so per item
// and for the whole, funded = Σ(refunds + payouts + fees) (invariant.ts checks both).
import type { MissedDeliveryOutcome } from '../config/channelSettings';
import {
  AlreadySettledError,
  DeadlineNotReachedError,
  DeadlinePassedError,
  InvalidInputError,
  InvalidStateError,
  ItemNotFoundError,
} from '../errors/escrowErrors';
import {
  LIMITS,
  requireArray,
  requireMinorUnits,
  requireReference,
  requireSha256Hex,
  requireText,
  toInstant,
} from '../validation/fields';
import { ITEM_TRANSACTIONS } from './contractInfo';
import type {
  Closure,
  Delivery,
  Dispute,
  Escrow,
  EscrowState,
  Payee,
  Settlement,
  SettlementOffer,
  Shipment,
} from './escrow';
import { type EventDetails, type EventName, escrowEvent, type EscrowEvent } from './events';
import { isBuyer, requireArbiter, requireBuyer, requireBuyerOrTrustedCarrier, requireSeller } from './guards';
import { buyerPartOf, feeOn, sum } from './money';
import { requireNotHeld } from './riskFlags';
import { answerOffer, makeOffer, offerSideOf } from './settlementOffers';
import { type Step, before, passed, reached, within } from './stepClock';

export const ITEM_STATES = [
  'FUNDED',
  'SHIPPED',
  'DELIVERED',
  'DISPUTED',
  'REJECTED',
  'RETURN_SHIPPED',
  'RELEASED',
  'RESOLVED',
  'REFUNDED',
] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export const TERMINAL_ITEM_STATES: readonly ItemState[] = ['RELEASED', 'RESOLVED', 'REFUNDED'];

export function isTerminalItem(state: ItemState): boolean {
  return TERMINAL_ITEM_STATES.includes(state);
}

/** The buyer's rejection: the seller owes a return address by `addressBy`. */
export interface Rejection {
  readonly rejectedAt: string;
  readonly reason: string;
  readonly addressBy: string;
}

/** The address itself stays in the parties' private collection; the record keeps its hash. */
export interface ReturnAddress {
  readonly hash: string;
  readonly providedAt: string;
  /** The buyer ships the item back by then, or keeps it (and the seller is paid). */
  readonly shipBackBy: string;
}

export interface ReturnShipment extends Shipment {
  /** The seller confirms or disputes the return by then; past it the item is refunded. */
  readonly returnBy: string;
}

export interface ItemLifecycle {
  readonly state: ItemState;
  /** This item's part of the escrow's buyerFee (collected with the funding). */
  readonly buyerFee: string;
  readonly shipment: Shipment | null;
  readonly deliverBy: string | null;
  readonly delivery: Delivery | null;
  readonly dispute: Dispute | null;
  readonly rejection: Rejection | null;
  readonly returnAddress: ReturnAddress | null;
  readonly returnShipment: ReturnShipment | null;
  /** Settlement offers made while this item was disputed, oldest first: the arbiter sees every one. */
  readonly offers: readonly SettlementOffer[];
  /** The split of price + buyerFee, all "0" until the item ends. */
  readonly buyerRefund: string;
  readonly sellerPayout: string;
  readonly fee: string;
  readonly closure: Closure | null;
  /**
   * The item's own refund and payout as the provider made them, recorded once the item ended
   * (recordItemSettlement): each item's money moves when it ends, not when the whole escrow does.
   * None on records written before items were settled one by one.
   */
  readonly settlements: { readonly buyer: Settlement | null; readonly seller: Settlement | null };
}

export type ItemCommand =
  | {
      readonly type: 'shipItem';
      readonly item: unknown;
      readonly carrier: string;
      readonly trackingRef: string;
    }
  | { readonly type: 'confirmItemDelivery'; readonly item: unknown }
  | { readonly type: 'releaseItem'; readonly item: unknown }
  | {
      readonly type: 'disputeItem' | 'disputeReturn';
      readonly item: unknown;
      readonly reason: string;
      readonly evidenceHashes: unknown;
    }
  | { readonly type: 'resolveItem'; readonly item: unknown; readonly buyerRefund: string }
  | { readonly type: 'rejectItem'; readonly item: unknown; readonly reason: string }
  | {
      readonly type: 'provideReturnAddress';
      readonly item: unknown;
      readonly addressHash: string;
      /**
       * Whether the collection holds the address of the hash already declared (the contract reads
       * its private-data hash): until it does, a new declaration replaces the old one.
       */
      readonly addressStored: boolean;
    }
  | {
      readonly type: 'shipReturn';
      readonly item: unknown;
      readonly carrier: string;
      readonly trackingRef: string;
    }
  | { readonly type: 'confirmReturn'; readonly item: unknown }
  | { readonly type: 'expireReturn'; readonly item: unknown }
  | {
      readonly type: 'expireItemDelivery';
      readonly item: unknown;
      /** The channel's rule for a missed delivery deadline, as the ledger holds it now. */
      readonly outcome: MissedDeliveryOutcome;
    }
  | {
      readonly type: 'offerItemSettlement';
      readonly item: unknown;
      readonly buyerRefund: string;
      readonly expiresAt?: string;
    }
  | { readonly type: 'acceptItemOffer' | 'declineItemOffer'; readonly item: unknown };

export const ITEM_COMMAND_TYPES = ITEM_TRANSACTIONS satisfies readonly ItemCommand['type'][];

export function isItemCommand(command: { readonly type: string }): command is ItemCommand {
  return (ITEM_COMMAND_TYPES as readonly string[]).includes(command.type);
}

/** Each item's part of the buyer's fee share; the parts sum to buyerPartOf(feeOn(amount)). */
export function itemBuyerFees(
  escrow: Pick<Escrow, 'items' | 'feeBps' | 'buyerFeeShareBps' | 'buyerFee'>,
): bigint[] {
  const parts = escrow.items.map((item) =>
    buyerPartOf(feeOn(BigInt(item.price), escrow.feeBps), escrow.buyerFeeShareBps),
  );
  // Rounding down per item never leaves more than the whole's: at most two units per item.
  let left = BigInt(escrow.buyerFee) - sum(parts);
  for (let index = 0; left > 0n && parts.length > 0; index = (index + 1) % parts.length) {
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts;
}

/** The item lifecycles an escrow starts with when it is first acted on per item. */
function splitIntoItems(escrow: Escrow, action: string): readonly ItemLifecycle[] {
  if (escrow.itemLifecycles !== null) return escrow.itemLifecycles;
  const state = escrow.state;
  if (state !== 'FUNDED' && state !== 'SHIPPED' && state !== 'DELIVERED')
    throw new InvalidStateError(action, state);
  return itemBuyerFees(escrow).map((buyerFee) => ({
    state,
    buyerFee: buyerFee.toString(),
    shipment: escrow.shipment,
    deliverBy: escrow.deliverBy,
    delivery: escrow.delivery,
    dispute: null,
    rejection: null,
    returnAddress: null,
    returnShipment: null,
    offers: [],
    buyerRefund: '0',
    sellerPayout: '0',
    fee: '0',
    closure: null,
    settlements: { buyer: null, seller: null },
  }));
}

/** The escrow's state as its items make it (see the module comment). */
export function escrowStateOf(items: readonly ItemLifecycle[]): EscrowState {
  const open = items.filter((item) => !isTerminalItem(item.state));
  if (open.length === 0) {
    if (items.every((item) => item.state === 'RELEASED')) return 'RELEASED';
    if (items.every((item) => item.state === 'REFUNDED')) return 'REFUNDED';
    return 'RESOLVED';
  }
  const states = new Set(open.map((item) => item.state));
  if (states.has('DISPUTED')) return 'DISPUTED';
  if (states.has('FUNDED')) return 'FUNDED';
  if (states.has('SHIPPED') || states.has('RETURN_SHIPPED')) return 'SHIPPED';
  return 'DELIVERED';
}

function requireItemIndex(escrow: Escrow, value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,3})$/.test(text))
    throw new InvalidInputError('item must be an item index (0, 1, …)');
  const index = Number(text);
  if (index >= escrow.items.length) throw new ItemNotFoundError(escrow.escrowId, text);
  return index;
}

function requireItemState(
  item: ItemLifecycle,
  index: number,
  action: string,
  allowed: readonly ItemState[],
): void {
  if (!allowed.includes(item.state)) throw new InvalidStateError(action, `${item.state} (item ${index})`);
}

function disputeRecord(command: { reason: string; evidenceHashes: unknown }, step: Step): Dispute {
  const reason = requireText(command.reason, 'reason');
  const evidenceHashes = requireArray(command.evidenceHashes, 'evidenceHashes', LIMITS.evidenceHashes).map(
    (hash, index) => requireSha256Hex(hash, `evidenceHashes[${index}]`),
  );
  return { raisedAt: step.at, reason, evidenceHashes };
}

function shipmentOf(command: { carrier: string; trackingRef: string }, step: Step): Shipment {
  return {
    carrier: requireText(command.carrier, 'carrier', LIMITS.idLength),
    trackingRef: requireReference(command.trackingRef, 'trackingRef'),
    shippedAt: step.at,
  };
}

interface ItemChange {
  readonly name: EventName;
  readonly item: ItemLifecycle;
  readonly details?: EventDetails;
}

/**
 * Ends an item: the buyer gets `goodsRefund` of its price back; the fee is charged on the seller's
 * share of the item only, the buyer bearing its agreed part out of the item's prepaid fee share.
 */
function closeItem(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  state: ItemState,
  goodsRefund: bigint,
  step: Step,
): ItemLifecycle {
  const price = BigInt(escrow.items[index]?.price ?? '0');
  const sellerShare = price - goodsRefund;
  const fee = feeOn(sellerShare, escrow.feeBps);
  const buyerPart = buyerPartOf(fee, escrow.buyerFeeShareBps);
  return {
    ...item,
    state,
    buyerRefund: (goodsRefund + BigInt(item.buyerFee) - buyerPart).toString(),
    sellerPayout: (sellerShare - (fee - buyerPart)).toString(),
    fee: fee.toString(),
    closure: { closedAt: step.at, closedBy: step.actor },
  };
}

/**
 * Oversight's arbiter ends an escrow split into items whose marketplace was suspended
 * (stateMachine.ts endSuspended): every open item ends RESOLVED, as the whole escrow would, with the
 * arbiter's `goodsRefund` of the open items' prices shared among them in proportion to their prices
 * (the units rounding leaves over given one at a time from the first open item on). Each item
 * closes by closeItem's rule, so its fee again comes only from the seller's share; ended items keep
 * their split.
 */
export function endOpenItems(
  escrow: Escrow,
  goodsRefund: string,
  step: Step,
  details: EventDetails,
): { escrow: Escrow; event: EscrowEvent } {
  const items = escrow.itemLifecycles;
  if (items === null)
    throw new InvalidStateError('endSuspendedEscrow', `${escrow.state} (not split into items)`);
  const open = items.flatMap((item, index) => (isTerminalItem(item.state) ? [] : [index]));
  if (open.length === 0) throw new InvalidStateError('endSuspendedEscrow', escrow.state);
  const priceOf = (index: number): bigint => BigInt(escrow.items[index]?.price ?? '0');
  const openPrice = sum(open.map(priceOf));
  const refund = requireMinorUnits(goodsRefund, 'buyerRefund');
  if (refund > openPrice)
    throw new InvalidInputError(`buyerRefund must not exceed the open items' prices ${openPrice.toString()}`);
  const shares = open.map((index) => (openPrice === 0n ? 0n : (refund * priceOf(index)) / openPrice));
  // Each share rounds down by less than one unit, so fewer units are left than there are open items.
  let left = refund - sum(shares);
  for (let position = 0; left > 0n; position += 1) {
    shares[position] = (shares[position] ?? 0n) + 1n;
    left -= 1n;
  }
  const itemLifecycles = items.map((item, index) => {
    const position = open.indexOf(index);
    return position < 0 ? item : closeItem(escrow, index, item, 'RESOLVED', shares[position] ?? 0n, step);
  });
  const total = (field: 'buyerRefund' | 'sellerPayout' | 'fee'): string =>
    sum(itemLifecycles.map((entry) => BigInt(entry[field]))).toString();
  const next: Escrow = {
    ...escrow,
    state: escrowStateOf(itemLifecycles),
    itemLifecycles,
    updatedAt: step.at,
    buyerRefund: total('buyerRefund'),
    sellerPayout: total('sellerPayout'),
    fee: total('fee'),
    closure: { closedAt: step.at, closedBy: step.actor },
  };
  const endedItems = open.join(',');
  return {
    escrow: next,
    event: escrowEvent('Resolved', next, step.actor, step.at, {
      ...details,
      endedItems,
      buyerRefund: goodsRefund,
    }),
  };
}

/**
 * A payments identity records one ended item's refund or payout (stateMachine.ts recordSettlement
 * checks who may): the item's own split, once per payee and item, and never beside a record of the
 * whole escrow's for the same payee. A seller of another marketplace is paid for the whole escrow
 * once it ends, through the statements between the marketplaces (statementTransactions.ts).
 */
export function recordItemSettlement(
  escrow: Escrow,
  itemValue: unknown,
  payee: Payee,
  providerRef: string,
  step: Step,
): { escrow: Escrow; event: EscrowEvent } {
  const index = requireItemIndex(escrow, itemValue);
  const item = escrow.itemLifecycles?.[index];
  if (escrow.itemLifecycles === null || item === undefined)
    throw new InvalidStateError('recordSettlement', `${escrow.state} (the escrow does not move per item)`);
  requireItemState(item, index, 'recordSettlement', TERMINAL_ITEM_STATES);
  if (payee === 'seller' && escrow.buyer.marketplace !== escrow.seller.marketplace)
    throw new InvalidInputError('a seller of another marketplace is paid for the whole escrow, by statement');
  const owed = payee === 'buyer' ? item.buyerRefund : item.sellerPayout;
  if (owed === '0') throw new InvalidInputError(`nothing is owed to the ${payee} for item ${index}`);
  if (item.settlements[payee] !== null || escrow.settlements[payee] !== null)
    throw new AlreadySettledError(escrow.escrowId, payee);
  const settlement = { amount: owed, providerRef, recordedAt: step.at, recordedBy: step.actor };
  const settled = { ...item, settlements: { ...item.settlements, [payee]: settlement } };
  const itemLifecycles = escrow.itemLifecycles.map((entry, position) =>
    position === index ? settled : entry,
  );
  const next: Escrow = { ...escrow, itemLifecycles, updatedAt: step.at };
  const details = { payee, amount: owed, providerRef, item: index };
  return { escrow: next, event: escrowEvent('SettlementRecorded', next, step.actor, step.at, details) };
}

/** Applies one item-level command (the actor and clocks in `step`) and the escrow's state that follows. */
export function applyItemCommand(
  escrow: Escrow,
  command: ItemCommand,
  step: Step,
): { escrow: Escrow; event: EscrowEvent } {
  const index = requireItemIndex(escrow, command.item);
  const items = splitIntoItems(escrow, command.type);
  const item = items[index];
  if (item === undefined) throw new ItemNotFoundError(escrow.escrowId, String(index));
  const change = decide(escrow, index, item, command, step);
  const itemLifecycles = items.map((entry, position) => (position === index ? change.item : entry));
  const state = escrowStateOf(itemLifecycles);
  const ended = itemLifecycles.every((entry) => isTerminalItem(entry.state));
  const total = (field: 'buyerRefund' | 'sellerPayout' | 'fee'): string =>
    sum(itemLifecycles.map((entry) => BigInt(entry[field]))).toString();
  const next: Escrow = {
    ...escrow,
    state,
    itemLifecycles,
    updatedAt: step.at,
    ...(ended
      ? {
          buyerRefund: total('buyerRefund'),
          sellerPayout: total('sellerPayout'),
          fee: total('fee'),
          closure: { closedAt: step.at, closedBy: step.actor },
        }
      : {}),
  };
  const details = { item: index, itemState: change.item.state, ...change.details };
  return { escrow: next, event: escrowEvent(change.name, next, step.actor, step.at, details) };
}

function decide(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: ItemCommand,
  step: Step,
): ItemChange {
  switch (command.type) {
    case 'shipItem':
      return shipItem(escrow, index, item, command, step);
    case 'confirmItemDelivery':
      return confirmItemDelivery(escrow, index, item, step);
    case 'releaseItem':
      return releaseItem(escrow, index, item, step);
    case 'disputeItem':
      return disputeItem(escrow, index, item, command, step);
    case 'resolveItem':
      return resolveItem(escrow, index, item, command, step);
    case 'rejectItem':
      return rejectItem(escrow, index, item, command, step);
    case 'provideReturnAddress':
      return provideReturnAddress(escrow, index, item, command, step);
    case 'shipReturn':
      return shipReturn(escrow, index, item, command, step);
    case 'confirmReturn':
      return confirmReturn(escrow, index, item, step);
    case 'expireReturn':
      return expireReturn(escrow, index, item, step);
    case 'expireItemDelivery':
      return expireItemDelivery(escrow, index, item, command, step);
    case 'disputeReturn':
      return disputeReturn(escrow, index, item, command, step);
    case 'offerItemSettlement':
      return offerItemSettlement(escrow, index, item, command, step);
    case 'acceptItemOffer':
      return answerItemOffer(escrow, index, item, 'accepted', step);
    case 'declineItemOffer':
      return answerItemOffer(escrow, index, item, 'declined', step);
  }
}

function shipItem(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { carrier: string; trackingRef: string },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'shipItem', ['FUNDED']);
  requireSeller(escrow, step.actor);
  if (!within(step, Date.parse(escrow.shipBy))) throw new DeadlinePassedError('shipBy', step.at);
  const shipment = shipmentOf(command, step);
  const period = escrow.deliveryPeriodSeconds;
  const deliverBy = period === null ? null : toInstant(step.now + period * 1000);
  return {
    name: 'ItemShipped',
    item: { ...item, state: 'SHIPPED', shipment, deliverBy },
    details: { carrier: shipment.carrier, trackingRef: shipment.trackingRef, deliverBy },
  };
}

function confirmItemDelivery(escrow: Escrow, index: number, item: ItemLifecycle, step: Step): ItemChange {
  requireItemState(item, index, 'confirmItemDelivery', ['SHIPPED']);
  requireBuyerOrTrustedCarrier(escrow, step.actor);
  const inspectionEndsAt = toInstant(step.now + escrow.inspectionPeriodSeconds * 1000);
  const delivery = { deliveredAt: step.at, inspectionEndsAt, confirmedBy: step.actor };
  return {
    name: 'ItemDeliveryConfirmed',
    item: { ...item, state: 'DELIVERED', delivery },
    details: { inspectionEndsAt },
  };
}

/** The buyer accepts the item; anyone may once its inspection window is over (auto-release). */
function releaseItem(escrow: Escrow, index: number, item: ItemLifecycle, step: Step): ItemChange {
  requireItemState(item, index, 'releaseItem', ['SHIPPED', 'DELIVERED']);
  if (!isBuyer(escrow, step.actor)) {
    if (item.delivery === null) requireBuyer(escrow, step.actor);
    else if (!reached(step, Date.parse(item.delivery.inspectionEndsAt)))
      throw new DeadlineNotReachedError('inspection window', step.at);
    requireNotHeld(escrow, 'releaseItem');
  }
  return { name: 'ItemReleased', item: closeItem(escrow, index, item, 'RELEASED', 0n, step) };
}

/** Within the item's inspection window (or once ship-by passed unshipped): the buyer's alone. */
function requireInspectionOpen(escrow: Escrow, item: ItemLifecycle, step: Step): void {
  if (item.state === 'FUNDED' && !passed(step, Date.parse(escrow.shipBy)))
    throw new DeadlineNotReachedError('shipBy', step.at);
  if (item.delivery !== null && !before(step, Date.parse(item.delivery.inspectionEndsAt)))
    throw new DeadlinePassedError('inspection window', step.at);
}

function disputeItem(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { reason: string; evidenceHashes: unknown },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'disputeItem', ['FUNDED', 'SHIPPED', 'DELIVERED']);
  requireBuyer(escrow, step.actor);
  requireInspectionOpen(escrow, item, step);
  const dispute = disputeRecord(command, step);
  return {
    name: 'ItemDisputed',
    item: { ...item, state: 'DISPUTED', dispute },
    details: { reason: dispute.reason },
  };
}

/** The arbiter splits the item's price: `buyerRefund` of it back to the buyer. */
function resolveItem(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { buyerRefund: string },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'resolveItem', ['DISPUTED']);
  requireArbiter(step.actor);
  const price = BigInt(escrow.items[index]?.price ?? '0');
  const refund = requireRefundOfItem(command.buyerRefund, price);
  return {
    name: 'ItemResolved',
    item: closeItem(escrow, index, item, 'RESOLVED', refund, step),
    details: { buyerRefund: refund.toString() },
  };
}

function requireRefundOfItem(value: string, price: bigint): bigint {
  const refund = requireMinorUnits(value, 'buyerRefund');
  if (refund > price)
    throw new InvalidInputError(`buyerRefund must not exceed the item's price ${price.toString()}`);
  return refund;
}

/** The buyer refuses a delivered item within its inspection window; the seller owes a return address. */
function rejectItem(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { reason: string },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'rejectItem', ['DELIVERED']);
  requireBuyer(escrow, step.actor);
  requireInspectionOpen(escrow, item, step);
  const reason = requireText(command.reason, 'reason');
  const addressBy = toInstant(step.now + escrow.inspectionPeriodSeconds * 1000);
  const rejection = { rejectedAt: step.at, reason, addressBy };
  return {
    name: 'ItemRejected',
    item: { ...item, state: 'REJECTED', rejection },
    details: { reason, addressBy },
  };
}

function provideReturnAddress(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { addressHash: string; addressStored: boolean },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'provideReturnAddress', ['REJECTED']);
  requireSeller(escrow, step.actor);
  const hash = requireSha256Hex(command.addressHash, 'addressHash');
  if (item.returnAddress !== null)
    return redeclareReturnAddress(index, item, item.returnAddress, hash, command);
  if (item.rejection === null || !within(step, Date.parse(item.rejection.addressBy)))
    throw new DeadlinePassedError('return addressBy', step.at);
  const shipBackBy = toInstant(step.now + escrow.inspectionPeriodSeconds * 1000);
  const returnAddress = { hash, providedAt: step.at, shipBackBy };
  return { name: 'ReturnAddressProvided', item: { ...item, returnAddress }, details: { shipBackBy } };
}

/**
 * The address arrives in two transactions (privateData/returnAddress.ts); when the second never
 * committed, the declared hash names an address nobody can store (its salt is lost with the failed
 * request). The seller's retry then declares anew, under the deadlines of the first declaration, so
 * a retry neither strands the item nor buys the buyer or the seller time. Once stored, it is final.
 */
function redeclareReturnAddress(
  index: number,
  item: ItemLifecycle,
  declared: ReturnAddress,
  hash: string,
  command: { addressStored: boolean },
): ItemChange {
  if (command.addressStored)
    throw new InvalidStateError('provideReturnAddress', `REJECTED (item ${index} has a return address)`);
  const returnAddress = { ...declared, hash };
  return {
    name: 'ReturnAddressProvided',
    item: { ...item, returnAddress },
    details: { shipBackBy: declared.shipBackBy, replacedHash: declared.hash },
  };
}

/** The buyer sends the item back to the seller's address; the seller then has until returnBy. */
function shipReturn(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { carrier: string; trackingRef: string },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'shipReturn', ['REJECTED']);
  requireBuyer(escrow, step.actor);
  if (item.returnAddress === null)
    throw new InvalidStateError('shipReturn', `REJECTED (item ${index} has no return address yet)`);
  if (!within(step, Date.parse(item.returnAddress.shipBackBy)))
    throw new DeadlinePassedError('return shipBackBy', step.at);
  const transit =
    (escrow.deliveryPeriodSeconds ?? escrow.inspectionPeriodSeconds) + escrow.inspectionPeriodSeconds;
  const returnShipment = { ...shipmentOf(command, step), returnBy: toInstant(step.now + transit * 1000) };
  return {
    name: 'ReturnShipped',
    item: { ...item, state: 'RETURN_SHIPPED', returnShipment },
    details: {
      carrier: returnShipment.carrier,
      trackingRef: returnShipment.trackingRef,
      returnBy: returnShipment.returnBy,
    },
  };
}

function confirmReturn(escrow: Escrow, index: number, item: ItemLifecycle, step: Step): ItemChange {
  requireItemState(item, index, 'confirmReturn', ['RETURN_SHIPPED']);
  requireSeller(escrow, step.actor);
  const price = BigInt(escrow.items[index]?.price ?? '0');
  return { name: 'ReturnConfirmed', item: closeItem(escrow, index, item, 'REFUNDED', price, step) };
}

/** The seller contests the returned goods' condition before returnBy: the item goes to the arbiter. */
function disputeReturn(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { reason: string; evidenceHashes: unknown },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'disputeReturn', ['RETURN_SHIPPED']);
  requireSeller(escrow, step.actor);
  if (item.returnShipment === null || !before(step, Date.parse(item.returnShipment.returnBy)))
    throw new DeadlinePassedError('returnBy', step.at);
  const dispute = disputeRecord(command, step);
  return {
    name: 'ReturnDisputed',
    item: { ...item, state: 'DISPUTED', dispute },
    details: { reason: dispute.reason },
  };
}

/**
 * Anyone (the keeper) ends a return whose deadline passed: no address from the seller by addressBy,
 * or no word from it by returnBy, refunds the item; no shipment from the buyer by shipBackBy
 * releases it (the buyer kept the goods).
 */
function expireReturn(escrow: Escrow, index: number, item: ItemLifecycle, step: Step): ItemChange {
  requireItemState(item, index, 'expireReturn', ['REJECTED', 'RETURN_SHIPPED']);
  const price = BigInt(escrow.items[index]?.price ?? '0');
  const due = (deadline: string, name: string): void => {
    if (!passed(step, Date.parse(deadline))) throw new DeadlineNotReachedError(name, step.at);
  };
  if (item.state === 'RETURN_SHIPPED' && item.returnShipment !== null) {
    due(item.returnShipment.returnBy, 'returnBy');
    return {
      name: 'ReturnExpired',
      item: closeItem(escrow, index, item, 'REFUNDED', price, step),
      details: { missed: 'returnBy' },
    };
  }
  if (item.returnAddress !== null) {
    due(item.returnAddress.shipBackBy, 'return shipBackBy');
    // The buyer kept the goods: this releases the item's price to the seller, which a hold stops.
    requireNotHeld(escrow, 'expireReturn');
    return {
      name: 'ReturnExpired',
      item: closeItem(escrow, index, item, 'RELEASED', 0n, step),
      details: { missed: 'shipBackBy' },
    };
  }
  due(item.rejection?.addressBy ?? step.at, 'return addressBy');
  return {
    name: 'ReturnExpired',
    item: closeItem(escrow, index, item, 'REFUNDED', price, step),
    details: { missed: 'addressBy' },
  };
}

/**
 * Anyone (the keeper) applies the channel's rule to a shipped item whose delivery deadline passed
 * unconfirmed, as expireDelivery does for the whole escrow (stateMachine.ts): the item goes to the
 * arbiter, or its price and fee share go back to the buyer. Other items are untouched.
 */
function expireItemDelivery(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { outcome: MissedDeliveryOutcome },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'expireItemDelivery', ['SHIPPED']);
  if (item.deliverBy === null)
    throw new InvalidStateError(
      'expireItemDelivery',
      `SHIPPED (item ${index}: the terms set no delivery deadline)`,
    );
  if (!passed(step, Date.parse(item.deliverBy))) throw new DeadlineNotReachedError('deliverBy', step.at);
  const details = { outcome: command.outcome, deliverBy: item.deliverBy };
  if (command.outcome === 'refund') {
    const price = BigInt(escrow.items[index]?.price ?? '0');
    return {
      name: 'ItemDeliveryOverdue',
      item: closeItem(escrow, index, item, 'REFUNDED', price, step),
      details,
    };
  }
  const dispute = { raisedAt: step.at, reason: 'delivery deadline passed', evidenceHashes: [] };
  return { name: 'ItemDeliveryOverdue', item: { ...item, state: 'DISPUTED', dispute }, details };
}

/** Either party of a disputed item offers a split of its price; a new offer replaces an open one. */
function offerItemSettlement(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  command: { buyerRefund: string; expiresAt?: string },
  step: Step,
): ItemChange {
  requireItemState(item, index, 'offerItemSettlement', ['DISPUTED']);
  const side = offerSideOf(escrow, step);
  const price = BigInt(escrow.items[index]?.price ?? '0');
  const buyerRefund = requireRefundOfItem(command.buyerRefund, price);
  const made = makeOffer(escrow.escrowId, item.offers, side, buyerRefund, command.expiresAt, step);
  return {
    name: 'ItemSettlementOffered',
    item: { ...item, offers: made.offers },
    details: {
      offeredBy: side,
      buyerRefund: made.offer.buyerRefund,
      expiresAt: made.offer.expiresAt,
      replaced: made.replaced,
    },
  };
}

/**
 * The other party answers the item's open offer before it expires: accepted, the item resolves at
 * its split with no arbiter (the fee only from the seller's share); declined, its dispute goes on.
 */
function answerItemOffer(
  escrow: Escrow,
  index: number,
  item: ItemLifecycle,
  answer: 'accepted' | 'declined',
  step: Step,
): ItemChange {
  const action = answer === 'accepted' ? 'acceptItemOffer' : 'declineItemOffer';
  requireItemState(item, index, action, ['DISPUTED']);
  const side = offerSideOf(escrow, step);
  const { offers, offer } = answerOffer(escrow.escrowId, item.offers, side, answer, step);
  const details = { offeredBy: offer.offeredBy, buyerRefund: offer.buyerRefund };
  if (answer === 'declined') return { name: 'ItemOfferDeclined', item: { ...item, offers }, details };
  const refund = BigInt(offer.buyerRefund);
  return {
    name: 'ItemOfferAccepted',
    item: closeItem(escrow, index, { ...item, offers }, 'RESOLVED', refund, step),
    details,
  };
}
