// Validates the body of createEscrow: parties, items, currency, fee and who pays it, deadlines, the
// fee and the inspection window within the channel's settings. The acceptance deadline is optional here; the
// state machine gives it its default and bounds, which depend on the transaction time.
import {
  type ChannelSettings,
  MAX_DELIVERY_PERIOD_SECONDS,
  MAX_INSPECTION_PERIOD_SECONDS,
} from '../config/channelSettings';
import { InvalidInputError } from '../errors/escrowErrors';
import {
  type JsonObject,
  LIMITS,
  optional,
  requireArray,
  requireId,
  requireInstant,
  requireInteger,
  requireMarketplace,
  requireMinorUnits,
  requireObject,
  requireOneOf,
  requireText,
} from '../validation/fields';
import type { Item, Party } from './escrow';
import { BASIS_POINTS_PER_UNIT, CURRENCIES, type Currency, MAX_AMOUNT, sum } from './money';

/** Who pays the marketplace fee: the seller (the default), the buyer, or both in `buyerFeeShareBps`. */
export const FEE_PAYERS = ['seller', 'buyer', 'split'] as const;
export type FeePayer = (typeof FEE_PAYERS)[number];

export interface CreateRequest {
  readonly buyer: Party;
  readonly seller: Party;
  readonly currency: Currency;
  readonly amount: bigint;
  readonly feeBps: number;
  /** The buyer's part of the fee, in basis points of it. */
  readonly buyerFeeShareBps: number;
  readonly items: readonly Item[];
  /** Until when the counterparty may accept; undefined asks for the default. */
  readonly acceptByMs: number | undefined;
  readonly fundByMs: number;
  readonly shipByMs: number;
  readonly inspectionPeriodSeconds: number;
  readonly deliveryPeriodSeconds: number;
}

function parseParty(value: unknown, field: string): Party {
  const party = requireObject(value, field);
  return {
    marketplace: requireMarketplace(party.marketplace, `${field}.marketplace`),
    userId: requireId(party.userId, `${field}.userId`),
  };
}

export function parseItems(value: unknown): { items: Item[]; prices: bigint[] } {
  const list = requireArray(value, 'items', LIMITS.items);
  if (list.length === 0) throw new InvalidInputError('items must not be empty');
  const prices: bigint[] = [];
  const items = list.map((entry, index) => {
    const item = requireObject(entry, `items[${index}]`);
    const price = requireMinorUnits(item.price, `items[${index}].price`);
    if (price === 0n) throw new InvalidInputError(`items[${index}].price must be positive`);
    prices.push(price);
    return {
      description: requireText(item.description, `items[${index}].description`),
      price: price.toString(),
    };
  });
  return { items, prices };
}

/** A marketplace fixes its fee at creation; the channel caps it so a buyer or seller is never charged more. */
function parseFee(value: unknown, settings: ChannelSettings): number {
  return requireInteger(value, 'feeBps', 0, settings.maxFeeBps);
}

/** The buyer's time to inspect: at least the channel's minimum, so a seller cannot leave no time to complain. */
export function parseInspectionPeriod(value: unknown, settings: ChannelSettings): number {
  const min = settings.minInspectionPeriodSeconds;
  return requireInteger(value, 'inspectionPeriodSeconds', min, MAX_INSPECTION_PERIOD_SECONDS);
}

/** `feePayer` (default seller) and, for a split only, `buyerFeeShareBps` strictly between 0 and 10 000. */
export function parseBuyerFeeShare(request: JsonObject): number {
  const payer = optional(request.feePayer, (present) => requireOneOf(present, 'feePayer', FEE_PAYERS));
  const share = request.buyerFeeShareBps;
  if (payer !== 'split') {
    if (share !== undefined) throw new InvalidInputError('buyerFeeShareBps is only for feePayer split');
    return payer === 'buyer' ? BASIS_POINTS_PER_UNIT : 0;
  }
  return requireInteger(share, 'buyerFeeShareBps', 1, BASIS_POINTS_PER_UNIT - 1);
}

export function parseDeliveryPeriod(value: unknown): number {
  return requireInteger(value, 'deliveryPeriodSeconds', 1, MAX_DELIVERY_PERIOD_SECONDS);
}

export function parseCreateRequest(value: unknown, settings: ChannelSettings): CreateRequest {
  const request = requireObject(value, 'request');
  const buyer = parseParty(request.buyer, 'buyer');
  const seller = parseParty(request.seller, 'seller');
  if (buyer.marketplace === seller.marketplace && buyer.userId === seller.userId) {
    throw new InvalidInputError('buyer and seller must be different users');
  }
  const { items, prices } = parseItems(request.items);
  const amount = sum(prices);
  const declared = optional(request.amount, (present) => requireMinorUnits(present, 'amount'));
  if (declared !== undefined && declared !== amount) {
    throw new InvalidInputError('amount must equal the sum of the item prices');
  }
  if (amount > MAX_AMOUNT) throw new InvalidInputError('amount is out of range');
  return {
    buyer,
    seller,
    currency: requireOneOf(request.currency, 'currency', CURRENCIES),
    amount,
    feeBps: parseFee(request.feeBps, settings),
    buyerFeeShareBps: parseBuyerFeeShare(request),
    items,
    acceptByMs: optional(request.acceptBy, (present) => requireInstant(present, 'acceptBy')),
    fundByMs: requireInstant(request.fundBy, 'fundBy'),
    shipByMs: requireInstant(request.shipBy, 'shipBy'),
    inspectionPeriodSeconds: parseInspectionPeriod(request.inspectionPeriodSeconds, settings),
    deliveryPeriodSeconds:
      optional(request.deliveryPeriodSeconds, parseDeliveryPeriod) ?? settings.defaultDeliveryPeriodSeconds,
  };
}
