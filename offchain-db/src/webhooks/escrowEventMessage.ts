// Reads an `escrow-events` Kafka message (the outbox relay's format) into an escrow event.
import type { EscrowEvent } from './deliveryStore';

export interface RawMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export function escrowEventOf(message: RawMessage): EscrowEvent {
  const value: unknown = JSON.parse(message.value?.toString('utf8') ?? 'null');
  if (typeof value !== 'object' || value === null) throw new Error('escrow event without a JSON object');
  const payload = value as Record<string, unknown>;
  const eventId = payload['eventId'];
  const eventType = payload['type'];
  const escrowId = payload['escrowId'] ?? message.key?.toString('utf8');
  const blockNumber = payload['blockNumber'];
  if (typeof eventId !== 'string' || typeof eventType !== 'string' || typeof escrowId !== 'string')
    throw new Error('escrow event without eventId, type or escrowId');
  if (typeof blockNumber !== 'string' && typeof blockNumber !== 'number')
    throw new Error(`escrow event ${eventId} without a block number`);
  const eventIndex = Number(eventId.split(':')[1] ?? 0);
  return {
    eventId,
    eventType,
    escrowId,
    blockNumber: BigInt(blockNumber),
    txIndex: typeof payload['txIndex'] === 'number' ? payload['txIndex'] : 0,
    eventIndex: Number.isInteger(eventIndex) ? eventIndex : 0,
    payload,
  };
}
