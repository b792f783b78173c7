// Validates the body of createEscrow: parties, items, currency, fee and deadlines.
import { InvalidInputError } from '../errors/escrowErrors';
import {
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

export const MAX_INSPECTION_PERIOD_SECONDS = 90 * 24 * 3600;

export interface CreateRequest {
  readonly buyer: Party;
  readonly seller: Party;
  readonly currency: Currency;
  readonly amount: bigint;
  readonly feeBps: number;
  readonly items: readonly Item[];
  readonly fundByMs: number;
  readonly shipByMs: number;
  readonly inspectionPeriodSeconds: number;
}

function parseParty(value: unknown, field: string): Party {
  const party = requireObject(value, field);
  return {
    marketplace: requireMarketplace(party.marketplace, `${field}.marketplace`),
    userId: requireId(party.userId, `${field}.userId`),
  };
}

function parseItems(value: unknown): { items: Item[]; prices: bigint[] } {
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

export function parseCreateRequest(value: unknown): CreateRequest {
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
    feeBps: requireInteger(request.feeBps, 'feeBps', 0, BASIS_POINTS_PER_UNIT),
    items,
    fundByMs: requireInstant(request.fundBy, 'fundBy'),
    shipByMs: requireInstant(request.shipBy, 'shipBy'),
    inspectionPeriodSeconds: requireInteger(
      request.inspectionPeriodSeconds,
      'inspectionPeriodSeconds',
      1,
      MAX_INSPECTION_PERIOD_SECONDS,
    ),
  };
}
