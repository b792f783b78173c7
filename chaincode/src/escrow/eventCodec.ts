// Reads event payloads back with the same field rules as the records: the full payload kept with a
// version in the terms collection, and the public one emitted into the block.
import { CorruptStateError } from '../errors/escrowErrors';
import {
  type JsonObject,
  requireId,
  requireInstant,
  requireMinorUnits,
  requireObject,
  requireText,
  toInstant,
} from '../validation/fields';
import { parseActor } from './escrowCodec';
import type { EventPayload, PublicEventPayload } from './events';
import { parsePublicActor } from './publicEscrow';

const amount = (record: JsonObject, field: string) => requireMinorUnits(record[field], field).toString();
const instant = (record: JsonObject, field: string) => toInstant(requireInstant(record[field], field));

export function parseEventPayload(value: unknown, eventName: string): EventPayload {
  const record = requireObject(value, 'payload');
  const details = requireObject(record['details'] ?? {}, 'details');
  for (const [key, detail] of Object.entries(details)) {
    if (detail !== null && typeof detail !== 'string' && typeof detail !== 'number')
      throw new CorruptStateError(`${eventName} payload detail ${key} is not a scalar`);
  }
  return {
    escrowId: requireId(record['escrowId'], 'escrowId'),
    state: requireText(record['state'], 'state'),
    currency: requireText(record['currency'], 'currency'),
    amount: amount(record, 'amount'),
    fundedAmount: amount(record, 'fundedAmount'),
    buyerRefund: amount(record, 'buyerRefund'),
    sellerPayout: amount(record, 'sellerPayout'),
    fee: amount(record, 'fee'),
    actor: parseActor(record['actor'], 'actor'),
    txTime: instant(record, 'txTime'),
    details: details as EventPayload['details'],
  };
}

export function parsePublicEventPayload(value: unknown): PublicEventPayload {
  const record = requireObject(value, 'payload');
  return {
    escrowId: requireId(record['escrowId'], 'escrowId'),
    state: requireText(record['state'], 'state'),
    txTime: instant(record, 'txTime'),
    actor: parsePublicActor(record['actor'], 'actor'),
  };
}
