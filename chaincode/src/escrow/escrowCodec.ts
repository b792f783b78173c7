// Reads an escrow back from ledger bytes, checking every field, so code past this point can
// trust the type. Anything unexpected is CORRUPT_STATE, never a silent cast.
import { ROLES } from '../config/identityConfig';
import { CorruptStateError, EscrowError } from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { fromStateBytes } from '../ledger/stateSerializer';
import {
  type JsonObject,
  LIMITS,
  requireArray,
  requireId,
  requireInstant,
  requireInteger,
  requireMarketplace,
  requireMinorUnits,
  requireObject,
  requireOneOf,
  requireReference,
  requireSha256Hex,
  requireStoredText,
  toInstant,
  requireOrganization,
} from '../validation/fields';
import type {
  Acceptance,
  Closure,
  Delivery,
  Dispute,
  Escrow,
  Funding,
  Item,
  Party,
  PrivateDetailsRef,
  Settlement,
  SettlementOffer,
  Shipment,
  TermsChange,
} from './escrow';
import { ESCROW_STATES, OFFER_SIDES, OFFER_STATUSES } from './escrow';
import { MAX_SETTLEMENT_OFFERS } from './contractInfo';
import { ITEM_STATES, type ItemLifecycle } from './itemLifecycle';
import { BASIS_POINTS_PER_UNIT, CURRENCIES } from './money';
import { MAX_RISK_FLAGS, type RiskFlag, readRiskFlagRequest } from './riskFlags';

function instant(value: unknown, field: string): string {
  return toInstant(requireInstant(value, field));
}

function amount(value: unknown, field: string): string {
  return requireMinorUnits(value, field).toString();
}

function nullable<T>(value: unknown, read: (present: JsonObject) => T, field: string): T | null {
  return value === null ? null : read(requireObject(value, field));
}

export function parseActor(value: unknown, field: string): Actor {
  const record = requireObject(value, field);
  return {
    mspId: requireId(record.mspId, `${field}.mspId`),
    organization: requireOrganization(record.organization, `${field}.organization`),
    role: requireOneOf(record.role, `${field}.role`, ROLES),
    userId: requireId(record.userId, `${field}.userId`),
  };
}

function party(value: unknown, field: string): Party {
  const record = requireObject(value, field);
  return {
    marketplace: requireMarketplace(record.marketplace, `${field}.marketplace`),
    userId: requireId(record.userId, `${field}.userId`),
  };
}

function item(value: unknown, field: string): Item {
  const record = requireObject(value, field);
  return {
    description: requireStoredText(record.description, `${field}.description`),
    price: amount(record.price, `${field}.price`),
  };
}

/** A field records written before it existed leave out: absent reads as null. */
function added<T>(value: unknown, read: (present: JsonObject) => T, field: string): T | null {
  return value === undefined ? null : nullable(value, read, field);
}

const readAcceptance = (r: JsonObject): Acceptance => ({
  acceptedAt: instant(r.acceptedAt, 'acceptance.acceptedAt'),
  acceptedBy: parseActor(r.acceptedBy, 'acceptance.acceptedBy'),
});

const readTermsChange = (r: JsonObject): TermsChange => ({
  proposedBy: requireOneOf(r.proposedBy, 'termsChange.proposedBy', OFFER_SIDES),
  actor: parseActor(r.actor, 'termsChange.actor'),
  proposedAt: instant(r.proposedAt, 'termsChange.proposedAt'),
  amount: amount(r.amount, 'termsChange.amount'),
  items: requireArray(r.items, 'termsChange.items', LIMITS.items).map((entry, index) =>
    item(entry, `termsChange.items[${index}]`),
  ),
  buyerFeeShareBps: requireInteger(
    r.buyerFeeShareBps,
    'termsChange.buyerFeeShareBps',
    0,
    BASIS_POINTS_PER_UNIT,
  ),
  buyerFee: amount(r.buyerFee, 'termsChange.buyerFee'),
  fundBy: instant(r.fundBy, 'termsChange.fundBy'),
  shipBy: instant(r.shipBy, 'termsChange.shipBy'),
  inspectionPeriodSeconds: requireInteger(
    r.inspectionPeriodSeconds,
    'termsChange.inspectionPeriodSeconds',
    1,
    Number.MAX_SAFE_INTEGER,
  ),
  deliveryPeriodSeconds:
    r.deliveryPeriodSeconds === null
      ? null
      : requireInteger(
          r.deliveryPeriodSeconds,
          'termsChange.deliveryPeriodSeconds',
          1,
          Number.MAX_SAFE_INTEGER,
        ),
});

const readFunding = (r: JsonObject): Funding => ({
  providerRef: requireReference(r.providerRef, 'funding.providerRef'),
  fundedAt: instant(r.fundedAt, 'funding.fundedAt'),
  fundedBy: parseActor(r.fundedBy, 'funding.fundedBy'),
});

const readShipment = (r: JsonObject): Shipment => ({
  carrier: requireStoredText(r.carrier, 'shipment.carrier', LIMITS.idLength),
  trackingRef: requireReference(r.trackingRef, 'shipment.trackingRef'),
  shippedAt: instant(r.shippedAt, 'shipment.shippedAt'),
});

const readDelivery = (r: JsonObject): Delivery => ({
  deliveredAt: instant(r.deliveredAt, 'delivery.deliveredAt'),
  inspectionEndsAt: instant(r.inspectionEndsAt, 'delivery.inspectionEndsAt'),
  confirmedBy: parseActor(r.confirmedBy, 'delivery.confirmedBy'),
});

const readDispute = (r: JsonObject): Dispute => ({
  raisedAt: instant(r.raisedAt, 'dispute.raisedAt'),
  reason: requireStoredText(r.reason, 'dispute.reason'),
  evidenceHashes: requireArray(r.evidenceHashes, 'dispute.evidenceHashes', LIMITS.evidenceHashes).map(
    (hash) => requireSha256Hex(hash, 'dispute.evidenceHashes[]'),
  ),
});

const readOffer = (value: unknown, field: string): SettlementOffer => {
  const r = requireObject(value, field);
  return {
    offeredBy: requireOneOf(r.offeredBy, `${field}.offeredBy`, OFFER_SIDES),
    actor: parseActor(r.actor, `${field}.actor`),
    buyerRefund: amount(r.buyerRefund, `${field}.buyerRefund`),
    offeredAt: instant(r.offeredAt, `${field}.offeredAt`),
    expiresAt: instant(r.expiresAt, `${field}.expiresAt`),
    status: requireOneOf(r.status, `${field}.status`, OFFER_STATUSES),
    answeredAt: r.answeredAt === null ? null : instant(r.answeredAt, `${field}.answeredAt`),
  };
};

/** Records written before settlement offers existed (on escrows, then on items) hold none. */
function offers(value: unknown, field = 'offers'): SettlementOffer[] {
  if (value === undefined) return [];
  return requireArray(value, field, MAX_SETTLEMENT_OFFERS).map((entry, index) =>
    readOffer(entry, `${field}[${index}]`),
  );
}

const readClosure = (r: JsonObject): Closure => ({
  closedAt: instant(r.closedAt, 'closure.closedAt'),
  closedBy: parseActor(r.closedBy, 'closure.closedBy'),
});

const readSettlement = (r: JsonObject): Settlement => ({
  amount: amount(r.amount, 'settlement.amount'),
  providerRef: requireReference(r.providerRef, 'settlement.providerRef'),
  recordedAt: instant(r.recordedAt, 'settlement.recordedAt'),
  recordedBy: parseActor(r.recordedBy, 'settlement.recordedBy'),
});

const readPrivateDetails = (r: JsonObject): PrivateDetailsRef => ({
  collection: requireId(r.collection, 'privateDetails.collection'),
  hash: requireSha256Hex(r.hash, 'privateDetails.hash'),
  erasedAt: r.erasedAt === null ? null : instant(r.erasedAt, 'privateDetails.erasedAt'),
});

const readItemLifecycle = (value: unknown, field: string): ItemLifecycle => {
  const r = requireObject(value, field);
  const instantOf = (v: unknown, name: string): string => instant(v, `${field}.${name}`);
  return {
    state: requireOneOf(r.state, `${field}.state`, ITEM_STATES),
    buyerFee: amount(r.buyerFee, `${field}.buyerFee`),
    shipment: nullable(r.shipment, readShipment, `${field}.shipment`),
    deliverBy: r.deliverBy === null ? null : instantOf(r.deliverBy, 'deliverBy'),
    delivery: nullable(r.delivery, readDelivery, `${field}.delivery`),
    dispute: nullable(r.dispute, readDispute, `${field}.dispute`),
    rejection: nullable(
      r.rejection,
      (x) => ({
        rejectedAt: instantOf(x.rejectedAt, 'rejection.rejectedAt'),
        reason: requireStoredText(x.reason, `${field}.rejection.reason`),
        addressBy: instantOf(x.addressBy, 'rejection.addressBy'),
      }),
      `${field}.rejection`,
    ),
    returnAddress: nullable(
      r.returnAddress,
      (x) => ({
        hash: requireSha256Hex(x.hash, `${field}.returnAddress.hash`),
        providedAt: instantOf(x.providedAt, 'returnAddress.providedAt'),
        shipBackBy: instantOf(x.shipBackBy, 'returnAddress.shipBackBy'),
      }),
      `${field}.returnAddress`,
    ),
    returnShipment: nullable(
      r.returnShipment,
      (x) => ({ ...readShipment(x), returnBy: instantOf(x.returnBy, 'returnShipment.returnBy') }),
      `${field}.returnShipment`,
    ),
    offers: offers(r.offers, `${field}.offers`),
    buyerRefund: amount(r.buyerRefund, `${field}.buyerRefund`),
    sellerPayout: amount(r.sellerPayout, `${field}.sellerPayout`),
    fee: amount(r.fee, `${field}.fee`),
    closure: nullable(r.closure, readClosure, `${field}.closure`),
    settlements: itemSettlements(r.settlements, `${field}.settlements`),
  };
};

/** Records written before items were settled one by one hold none. */
function itemSettlements(value: unknown, field: string): ItemLifecycle['settlements'] {
  if (value === undefined) return { buyer: null, seller: null };
  const r = requireObject(value, field);
  return {
    buyer: nullable(r.buyer, readSettlement, `${field}.buyer`),
    seller: nullable(r.seller, readSettlement, `${field}.seller`),
  };
}

/** Records written before items had lifecycles, and escrows never acted on per item, hold none. */
function itemLifecycles(value: unknown): ItemLifecycle[] | null {
  if (value === undefined || value === null) return null;
  return requireArray(value, 'itemLifecycles', LIMITS.items).map((entry, index) =>
    readItemLifecycle(entry, `itemLifecycles[${index}]`),
  );
}

const readRiskFlag = (value: unknown, field: string): RiskFlag => {
  const r = requireObject(value, field);
  return {
    ...readRiskFlagRequest(r, field),
    raisedAt: instant(r.raisedAt, `${field}.raisedAt`),
    raisedBy: parseActor(r.raisedBy, `${field}.raisedBy`),
    clearedAt: r.clearedAt === null ? null : instant(r.clearedAt, `${field}.clearedAt`),
    clearedBy: r.clearedBy === null ? null : parseActor(r.clearedBy, `${field}.clearedBy`),
    clearReason: r.clearReason === null ? null : requireStoredText(r.clearReason, `${field}.clearReason`),
  };
};

/** Records written before risk flags existed hold none. */
function riskFlags(value: unknown): RiskFlag[] {
  if (value === undefined) return [];
  return requireArray(value, 'riskFlags', MAX_RISK_FLAGS).map((entry, index) =>
    readRiskFlag(entry, `riskFlags[${index}]`),
  );
}

function readEscrow(record: JsonObject): Escrow {
  if (record.docType !== 'escrow') throw new CorruptStateError('docType is not escrow');
  const settlements = requireObject(record.settlements, 'settlements');
  return {
    docType: 'escrow',
    escrowId: requireId(record.escrowId, 'escrowId'),
    state: requireOneOf(record.state, 'state', ESCROW_STATES),
    buyer: party(record.buyer, 'buyer'),
    seller: party(record.seller, 'seller'),
    currency: requireOneOf(record.currency, 'currency', CURRENCIES),
    amount: amount(record.amount, 'amount'),
    feeBps: requireInteger(record.feeBps, 'feeBps', 0, BASIS_POINTS_PER_UNIT),
    // Records from before the fee payer was a term: the seller paid it all.
    buyerFeeShareBps:
      record.buyerFeeShareBps === undefined
        ? 0
        : requireInteger(record.buyerFeeShareBps, 'buyerFeeShareBps', 0, BASIS_POINTS_PER_UNIT),
    buyerFee: record.buyerFee === undefined ? '0' : amount(record.buyerFee, 'buyerFee'),
    items: requireArray(record.items, 'items', LIMITS.items).map((entry, index) =>
      item(entry, `items[${index}]`),
    ),
    acceptBy:
      record.acceptBy === undefined || record.acceptBy === null ? null : instant(record.acceptBy, 'acceptBy'),
    fundBy: instant(record.fundBy, 'fundBy'),
    shipBy: instant(record.shipBy, 'shipBy'),
    inspectionPeriodSeconds: requireInteger(
      record.inspectionPeriodSeconds,
      'inspectionPeriodSeconds',
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    deliveryPeriodSeconds:
      record.deliveryPeriodSeconds === undefined || record.deliveryPeriodSeconds === null
        ? null
        : requireInteger(record.deliveryPeriodSeconds, 'deliveryPeriodSeconds', 1, Number.MAX_SAFE_INTEGER),
    deliverBy:
      record.deliverBy === undefined || record.deliverBy === null
        ? null
        : instant(record.deliverBy, 'deliverBy'),
    createdAt: instant(record.createdAt, 'createdAt'),
    createdBy: parseActor(record.createdBy, 'createdBy'),
    updatedAt: instant(record.updatedAt, 'updatedAt'),
    fundedAmount: amount(record.fundedAmount, 'fundedAmount'),
    buyerRefund: amount(record.buyerRefund, 'buyerRefund'),
    sellerPayout: amount(record.sellerPayout, 'sellerPayout'),
    fee: amount(record.fee, 'fee'),
    acceptance: added(record.acceptance, readAcceptance, 'acceptance'),
    termsChange: added(record.termsChange, readTermsChange, 'termsChange'),
    funding: nullable(record.funding, readFunding, 'funding'),
    shipment: nullable(record.shipment, readShipment, 'shipment'),
    delivery: nullable(record.delivery, readDelivery, 'delivery'),
    dispute: nullable(record.dispute, readDispute, 'dispute'),
    offers: offers(record.offers),
    closure: nullable(record.closure, readClosure, 'closure'),
    settlements: {
      buyer: nullable(settlements.buyer, readSettlement, 'settlements.buyer'),
      seller: nullable(settlements.seller, readSettlement, 'settlements.seller'),
    },
    privateDetails: nullable(record.privateDetails, readPrivateDetails, 'privateDetails'),
    itemLifecycles: itemLifecycles(record.itemLifecycles),
    riskFlags: riskFlags(record.riskFlags),
  };
}

export function parseEscrow(value: unknown): Escrow {
  try {
    return readEscrow(requireObject(value, 'escrow'));
  } catch (error) {
    if (error instanceof EscrowError && !(error instanceof CorruptStateError)) {
      throw new CorruptStateError(`stored escrow is malformed: ${error.message}`);
    }
    throw error;
  }
}

export function escrowFromBytes(bytes: Uint8Array): Escrow {
  let value: unknown;
  try {
    value = fromStateBytes(bytes);
  } catch {
    throw new CorruptStateError('stored escrow is not JSON');
  }
  return parseEscrow(value);
}
