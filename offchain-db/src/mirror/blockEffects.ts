// What one committed block means for the projection: the escrow records it wrote, one transition
// and one outbox event per chaincode event, and the reviews it posted. Pure: no I/O except the
// fallback read, which only runs when a transition's transaction wrote no escrow record. A
// transaction whose record or event this version cannot read (CORRUPT_STATE: a foreign shape, a
// newer chaincode's record) is set aside whole, never a reason to stop the mirror at its block.
import {
  escrowFromBytes,
  EscrowError,
  eventPayloadFromBytes,
  KEY_TYPES,
  reviewFromBytes,
  type Escrow,
  type EventName,
  type EventPayload,
  type Review,
} from '@p2p-escrow/chaincode';
import { type Block, type Transaction, validTransactionsOf } from '@p2p-escrow/fabric-client';
import { splitCompositeKey } from '../ledger/compositeKey';

export interface EscrowWrite {
  /** The escrow as this transaction wrote it; its JSON is the projection's stored record. */
  readonly record: Escrow;
  readonly txId: string;
  readonly blockNumber: bigint;
}

export interface TransitionEffect {
  readonly escrowId: string;
  readonly blockNumber: bigint;
  readonly txId: string;
  readonly txIndex: number;
  /** Fabric keeps at most one chaincode event per transaction, so this is 0 today. */
  readonly eventIndex: number;
  readonly eventName: string;
  readonly payload: EventPayload;
}

export interface OutboxEvent {
  /** `<txId>:<eventIndex>`: the same on every replay, so consumers can deduplicate on it. */
  readonly eventId: string;
  readonly eventType: string;
  readonly key: string;
  readonly blockNumber: bigint;
  readonly message: Record<string, unknown>;
}

export interface ReviewEffect {
  readonly review: Review;
  readonly txId: string;
  readonly blockNumber: bigint;
}

/** A valid transaction whose record or event could not be read: quarantined, with why. */
export interface UnreadableTransaction {
  readonly txId: string;
  /** The escrows its keys or event name, as far as they can be told without reading the record. */
  readonly escrowIds: readonly string[];
  readonly reason: string;
}

export interface BlockEffects {
  readonly blockNumber: bigint;
  /** Newest transaction time in the block (the block itself carries no time). */
  readonly blockTime: Date | undefined;
  readonly escrows: readonly EscrowWrite[];
  readonly transitions: readonly TransitionEffect[];
  readonly reviews: readonly ReviewEffect[];
  readonly outbox: readonly OutboxEvent[];
  readonly unreadable: readonly UnreadableTransaction[];
}

/** Reads an escrow from the ledger, for a transition whose transaction wrote no escrow record. */
export type EscrowFallback = (escrowId: string) => Promise<Escrow>;

export interface ProjectionOptions {
  readonly chaincodeName: string;
  readonly channel: string;
  readonly fallback?: EscrowFallback;
}

/** A review writes its own key, never the escrow's: no fallback read for it. */
const REVIEW_POSTED: EventName = 'ReviewPosted';

export function eventIdOf(txId: string, eventIndex: number): string {
  return `${txId}:${eventIndex}`;
}

export async function blockEffects(block: Block, options: ProjectionOptions): Promise<BlockEffects> {
  const escrows: EscrowWrite[] = [];
  const transitions: TransitionEffect[] = [];
  const reviews: ReviewEffect[] = [];
  const outbox: OutboxEvent[] = [];
  const unreadable: UnreadableTransaction[] = [];
  let blockTime: Date | undefined;
  for (const tx of validTransactionsOf(block, options.chaincodeName)) {
    if (blockTime === undefined || tx.timestamp > blockTime) blockTime = tx.timestamp;
    const read = readTransaction(tx, options.chaincodeName);
    if ('reason' in read) {
      unreadable.push(read);
      continue;
    }
    const { written, payload } = read;
    for (const record of written.escrows) escrows.push({ record, txId: tx.id, blockNumber: block.number });
    for (const review of written.reviews) reviews.push({ review, txId: tx.id, blockNumber: block.number });
    const event = tx.event;
    if (event === undefined || payload === undefined) continue;
    const transition: TransitionEffect = {
      escrowId: payload.escrowId,
      blockNumber: block.number,
      txId: tx.id,
      txIndex: tx.index,
      eventIndex: 0,
      eventName: event.name,
      payload,
    };
    transitions.push(transition);
    outbox.push(outboxEventOf(transition, options.channel));
    const wroteEscrow = written.escrows.some((record) => record.escrowId === payload.escrowId);
    if (!wroteEscrow && event.name !== REVIEW_POSTED && options.fallback !== undefined) {
      escrows.push({
        record: await options.fallback(payload.escrowId),
        txId: tx.id,
        blockNumber: block.number,
      });
    }
  }
  return { blockNumber: block.number, blockTime, escrows, transitions, reviews, outbox, unreadable };
}

interface ReadTransaction {
  readonly written: { escrows: Escrow[]; reviews: Review[] };
  /** The chaincode event's payload, when the transaction emitted one of this chaincode. */
  readonly payload: EventPayload | undefined;
}

/** Reads every record and the event of `tx`, or says why it cannot (only CORRUPT_STATE is caught). */
function readTransaction(tx: Transaction, chaincodeName: string): ReadTransaction | UnreadableTransaction {
  try {
    const written = writesOf(tx, chaincodeName);
    const event = tx.event;
    const ours = event !== undefined && event.chaincodeName === chaincodeName;
    return { written, payload: ours ? eventPayloadFromBytes(event.payload, event.name) : undefined };
  } catch (error) {
    if (!(error instanceof EscrowError) || error.code !== 'CORRUPT_STATE') throw error;
    return {
      txId: tx.id,
      escrowIds: keyedEscrowIds(tx, chaincodeName),
      reason: `CORRUPT_STATE: ${error.message}`,
    };
  }
}

/** The escrow ids named by the transaction's escrow keys (escrowId) and review keys (its last part). */
function keyedEscrowIds(tx: Transaction, chaincodeName: string): string[] {
  const ids = new Set<string>();
  for (const set of tx.readWriteSets) {
    if (set.namespace !== chaincodeName) continue;
    for (const write of set.writes) {
      const key = splitCompositeKey(write.key);
      if (key?.objectType === KEY_TYPES.escrow) ids.add(key.attributes[0] ?? '');
      if (key?.objectType === KEY_TYPES.review) ids.add(key.attributes.at(-1) ?? '');
    }
  }
  ids.delete('');
  return [...ids];
}

function writesOf(tx: Transaction, chaincodeName: string): { escrows: Escrow[]; reviews: Review[] } {
  const escrows: Escrow[] = [];
  const reviews: Review[] = [];
  for (const set of tx.readWriteSets) {
    if (set.namespace !== chaincodeName) continue;
    for (const write of set.writes) {
      if (write.isDelete) continue;
      const key = splitCompositeKey(write.key);
      if (key?.objectType === KEY_TYPES.escrow) escrows.push(escrowFromBytes(write.value));
      else if (key?.objectType === KEY_TYPES.review) reviews.push(reviewFromBytes(write.value));
    }
  }
  return { escrows, reviews };
}

function outboxEventOf(transition: TransitionEffect, channel: string): OutboxEvent {
  const eventId = eventIdOf(transition.txId, transition.eventIndex);
  return {
    eventId,
    eventType: transition.eventName,
    key: transition.escrowId,
    blockNumber: transition.blockNumber,
    message: {
      eventId,
      type: transition.eventName,
      escrowId: transition.escrowId,
      channel,
      blockNumber: transition.blockNumber.toString(),
      txId: transition.txId,
      txIndex: transition.txIndex,
      txTime: transition.payload.txTime,
      data: transition.payload,
    },
  };
}
