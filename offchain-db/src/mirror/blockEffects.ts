// What one committed block means for the projection: the escrow records it wrote, one transition
// and one outbox event per chaincode event, and the reviews it posted. Pure: no I/O except the
// fallback read, which only runs when a transition's transaction wrote no escrow record.
import { type Block, type Transaction, validTransactionsOf } from '../ledger/blockParser';
import {
  type EscrowRecord,
  type EventPayload,
  type ReviewRecord,
  escrowRecordFromBytes,
  eventPayloadFromBytes,
  reviewRecordFromBytes,
  splitCompositeKey,
} from '../ledger/ledgerRecords';

export interface EscrowWrite {
  readonly record: EscrowRecord;
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
  readonly review: ReviewRecord;
  readonly txId: string;
  readonly blockNumber: bigint;
}

export interface BlockEffects {
  readonly blockNumber: bigint;
  /** Newest transaction time in the block (the block itself carries no time). */
  readonly blockTime: Date | undefined;
  readonly escrows: readonly EscrowWrite[];
  readonly transitions: readonly TransitionEffect[];
  readonly reviews: readonly ReviewEffect[];
  readonly outbox: readonly OutboxEvent[];
}

/** Reads an escrow from the ledger, for a transition whose transaction wrote no escrow record. */
export type EscrowFallback = (escrowId: string) => Promise<EscrowRecord>;

export interface ProjectionOptions {
  readonly chaincodeName: string;
  readonly channel: string;
  readonly fallback?: EscrowFallback;
}

const ESCROW_KEY_TYPE = 'escrow';
const REVIEW_KEY_TYPE = 'review';

export function eventIdOf(txId: string, eventIndex: number): string {
  return `${txId}:${eventIndex}`;
}

export async function blockEffects(block: Block, options: ProjectionOptions): Promise<BlockEffects> {
  const escrows: EscrowWrite[] = [];
  const transitions: TransitionEffect[] = [];
  const reviews: ReviewEffect[] = [];
  const outbox: OutboxEvent[] = [];
  let blockTime: Date | undefined;
  for (const tx of validTransactionsOf(block, options.chaincodeName)) {
    if (blockTime === undefined || tx.timestamp > blockTime) blockTime = tx.timestamp;
    const written = writesOf(tx, options.chaincodeName);
    for (const record of written.escrows) escrows.push({ record, txId: tx.id, blockNumber: block.number });
    for (const review of written.reviews) reviews.push({ review, txId: tx.id, blockNumber: block.number });
    const event = tx.event;
    if (event === undefined || event.chaincodeName !== options.chaincodeName) continue;
    const payload = eventPayloadFromBytes(event.payload, event.name);
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
    if (!wroteEscrow && event.name !== 'ReviewPosted' && options.fallback !== undefined) {
      escrows.push({
        record: await options.fallback(payload.escrowId),
        txId: tx.id,
        blockNumber: block.number,
      });
    }
  }
  return { blockNumber: block.number, blockTime, escrows, transitions, reviews, outbox };
}

function writesOf(
  tx: Transaction,
  chaincodeName: string,
): { escrows: EscrowRecord[]; reviews: ReviewRecord[] } {
  const escrows: EscrowRecord[] = [];
  const reviews: ReviewRecord[] = [];
  for (const set of tx.readWriteSets) {
    if (set.namespace !== chaincodeName) continue;
    for (const write of set.writes) {
      if (write.isDelete) continue;
      const key = splitCompositeKey(write.key);
      if (key?.objectType === ESCROW_KEY_TYPE) escrows.push(escrowRecordFromBytes(write.value));
      else if (key?.objectType === REVIEW_KEY_TYPE) reviews.push(reviewRecordFromBytes(write.value));
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
      data: transition.payload.raw,
    },
  };
}
