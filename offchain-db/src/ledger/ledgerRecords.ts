// Validating readers for what the escrow chaincode writes: the escrow record, the review record and
// the event payload. A record that does not have the expected shape is an error, never `as T`.

export class LedgerRecordError extends Error {
  readonly code = 'LEDGER_RECORD_INVALID';
  constructor(what: string, reason: string) {
    super(`${what}: ${reason}`);
    this.name = 'LedgerRecordError';
  }
}

export interface PartyRecord {
  readonly marketplace: string;
  readonly userId: string;
}

export interface ItemRecord {
  readonly description: string;
  readonly price: string;
}

export interface EscrowRecord {
  readonly escrowId: string;
  readonly state: string;
  readonly buyer: PartyRecord;
  readonly seller: PartyRecord;
  readonly currency: string;
  readonly amount: string;
  readonly feeBps: number;
  readonly items: readonly ItemRecord[];
  readonly fundBy: string;
  readonly shipBy: string;
  readonly inspectionPeriodSeconds: number;
  readonly inspectionEndsAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly fundedAmount: string;
  readonly buyerRefund: string;
  readonly sellerPayout: string;
  readonly fee: string;
  /** The record exactly as the ledger holds it. */
  readonly raw: Record<string, unknown>;
}

export interface ReviewRecord {
  readonly escrowId: string;
  readonly reviewer: 'buyer' | 'seller';
  readonly reviewerUserId: string;
  readonly subject: PartyRecord;
  readonly rating: number;
  readonly textHash: string;
  readonly postedAt: string;
}

export interface EventPayload {
  readonly escrowId: string;
  readonly state: string;
  readonly currency: string;
  readonly amount: string;
  readonly fundedAmount: string;
  readonly buyerRefund: string;
  readonly sellerPayout: string;
  readonly fee: string;
  readonly txTime: string;
  readonly actor: Record<string, unknown>;
  readonly details: Record<string, unknown>;
  readonly raw: Record<string, unknown>;
}

const decoder = new TextDecoder();
const MINOR_UNITS = /^(0|[1-9][0-9]{0,17})$/;

type Fields = Record<string, unknown>;

function parseJsonObject(bytes: Uint8Array | string, what: string): Fields {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : decoder.decode(bytes));
  } catch {
    throw new LedgerRecordError(what, 'not JSON');
  }
  return asObject(value, what);
}

function asObject(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LedgerRecordError(what, 'not an object');
  return value as Fields;
}

function text(fields: Fields, name: string, what: string): string {
  const value = fields[name];
  if (typeof value !== 'string') throw new LedgerRecordError(what, `${name} is not a string`);
  return value;
}

function instant(fields: Fields, name: string, what: string): string {
  const value = text(fields, name, what);
  if (Number.isNaN(Date.parse(value))) throw new LedgerRecordError(what, `${name} is not an instant`);
  return value;
}

function minorUnits(fields: Fields, name: string, what: string): string {
  const value = text(fields, name, what);
  if (!MINOR_UNITS.test(value)) throw new LedgerRecordError(what, `${name} is not an amount in minor units`);
  return value;
}

function integer(fields: Fields, name: string, what: string): number {
  const value = fields[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new LedgerRecordError(what, `${name} is not an integer`);
  return value;
}

function party(fields: Fields, name: string, what: string): PartyRecord {
  const value = asObject(fields[name], `${what}.${name}`);
  return { marketplace: text(value, 'marketplace', what), userId: text(value, 'userId', what) };
}

export function escrowRecordFromBytes(bytes: Uint8Array | string): EscrowRecord {
  const fields = parseJsonObject(bytes, 'escrow record');
  const what = `escrow ${String(fields['escrowId'])}`;
  if (fields['docType'] !== 'escrow') throw new LedgerRecordError(what, 'docType is not escrow');
  const items = fields['items'];
  if (!Array.isArray(items)) throw new LedgerRecordError(what, 'items is not an array');
  const delivery = fields['delivery'];
  return {
    escrowId: text(fields, 'escrowId', what),
    state: text(fields, 'state', what),
    buyer: party(fields, 'buyer', what),
    seller: party(fields, 'seller', what),
    currency: text(fields, 'currency', what),
    amount: minorUnits(fields, 'amount', what),
    feeBps: integer(fields, 'feeBps', what),
    items: items.map((item: unknown) => {
      const entry = asObject(item, `${what} item`);
      return { description: text(entry, 'description', what), price: minorUnits(entry, 'price', what) };
    }),
    fundBy: instant(fields, 'fundBy', what),
    shipBy: instant(fields, 'shipBy', what),
    inspectionPeriodSeconds: integer(fields, 'inspectionPeriodSeconds', what),
    inspectionEndsAt:
      delivery === null || delivery === undefined
        ? null
        : instant(asObject(delivery, `${what}.delivery`), 'inspectionEndsAt', what),
    createdAt: instant(fields, 'createdAt', what),
    updatedAt: instant(fields, 'updatedAt', what),
    fundedAmount: minorUnits(fields, 'fundedAmount', what),
    buyerRefund: minorUnits(fields, 'buyerRefund', what),
    sellerPayout: minorUnits(fields, 'sellerPayout', what),
    fee: minorUnits(fields, 'fee', what),
    raw: fields,
  };
}

export function reviewRecordFromBytes(bytes: Uint8Array | string): ReviewRecord {
  const fields = parseJsonObject(bytes, 'review record');
  const what = `review of ${String(fields['escrowId'])}`;
  if (fields['docType'] !== 'review') throw new LedgerRecordError(what, 'docType is not review');
  const reviewer = fields['reviewer'];
  if (reviewer !== 'buyer' && reviewer !== 'seller') throw new LedgerRecordError(what, 'bad reviewer');
  const rating = integer(fields, 'rating', what);
  if (rating < 1 || rating > 5) throw new LedgerRecordError(what, 'rating out of 1..5');
  return {
    escrowId: text(fields, 'escrowId', what),
    reviewer,
    reviewerUserId: text(fields, 'reviewerUserId', what),
    subject: party(fields, 'subject', what),
    rating,
    textHash: text(fields, 'textHash', what),
    postedAt: instant(fields, 'postedAt', what),
  };
}

export function eventPayloadFromBytes(bytes: Uint8Array | string, eventName: string): EventPayload {
  const fields = parseJsonObject(bytes, `${eventName} payload`);
  const what = `${eventName} of ${String(fields['escrowId'])}`;
  return {
    escrowId: text(fields, 'escrowId', what),
    state: text(fields, 'state', what),
    currency: text(fields, 'currency', what),
    amount: minorUnits(fields, 'amount', what),
    fundedAmount: minorUnits(fields, 'fundedAmount', what),
    buyerRefund: minorUnits(fields, 'buyerRefund', what),
    sellerPayout: minorUnits(fields, 'sellerPayout', what),
    fee: minorUnits(fields, 'fee', what),
    txTime: instant(fields, 'txTime', what),
    actor: asObject(fields['actor'], `${what} actor`),
    details: asObject(fields['details'] ?? {}, `${what} details`),
    raw: fields,
  };
}

/** The object type and attributes of a composite key ("\0type\0attr1\0attr2\0"). */
export function splitCompositeKey(key: string): { objectType: string; attributes: string[] } | undefined {
  if (!key.startsWith('\u0000') || !key.endsWith('\u0000')) return undefined;
  const [objectType, ...attributes] = key.slice(1, -1).split('\u0000');
  if (objectType === undefined) return undefined;
  return { objectType, attributes };
}
