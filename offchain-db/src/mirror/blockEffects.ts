// What one committed block means for the projection: the escrow records it wrote, one transition
// and one outbox event per chaincode event, and the reviews it posted. Records, full reviews and full
// event payloads come from the private writes to the escrow's terms collection (transactionRecords.ts);
// transactions on terms collections the projection's org is not a member of are another org's
// projection's and skipped. Pure: no I/O except the fallback read, which runs when a member's peer
// delivered no private data for a transition (or a transition wrote no escrow record). A transaction
// whose record or event this version cannot read (CORRUPT_STATE: a foreign shape, a newer
// chaincode's record) is set aside whole, never a reason to stop the mirror at its block.
import {
  mspIdOf,
  type Escrow,
  type EventName,
  type EventPayload,
  type Organization,
  type PublicEventPayload,
  type PublicReview,
  type Review,
} from '@p2p-escrow/chaincode';
import { type Block, validTransactionsOf } from '@p2p-escrow/fabric-client';
import { readTransaction, type TransactionRecords, type UnreadableTransaction } from './transactionRecords';

export type { UnreadableTransaction } from './transactionRecords';

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
  readonly payload: TransitionPayload;
}

/**
 * The full event payload from the transaction's private version; when the peer delivered none, the
 * public event's fields with the amounts of the record read from the ledger, and the actor as the
 * public event names it (organization and role, no user id).
 */
export type TransitionPayload = EventPayload | ReconstructedPayload;

export type ReconstructedPayload = Omit<EventPayload, 'actor'> & {
  readonly actor: PublicEventPayload['actor'] & { readonly mspId: string };
};

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
  /** Whose projection this is: it mirrors the escrows of the terms collections this org is a member of. */
  readonly organization: Organization;
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
    const read = readTransaction(tx, options.chaincodeName, options.organization);
    if (read.kind === 'foreign') continue;
    if (read.kind === 'unreadable') {
      unreadable.push(read);
      continue;
    }
    const written = { txId: tx.id, blockNumber: block.number };
    for (const record of read.escrows) escrows.push({ record, ...written });
    const resolved =
      read.event === undefined ? undefined : await resolve(read, read.event, tx.id, options.fallback);
    for (const review of resolved?.reviews ?? read.reviews) reviews.push({ review, ...written });
    if (read.event === undefined || resolved === undefined) continue;
    const { payload, filledIn } = resolved;
    if (filledIn !== undefined) escrows.push({ record: filledIn, ...written });
    const transition: TransitionEffect = {
      escrowId: payload.escrowId,
      blockNumber: block.number,
      txId: tx.id,
      txIndex: tx.index,
      eventIndex: 0,
      eventName: read.event.name,
      payload,
    };
    transitions.push(transition);
    outbox.push(outboxEventOf(transition, options.channel));
  }
  return { blockNumber: block.number, blockTime, escrows, transitions, reviews, outbox, unreadable };
}

interface ResolvedTransition {
  readonly payload: TransitionPayload;
  /** The record to write when the transaction delivered no `escrow` write of its escrow. */
  readonly filledIn: Escrow | undefined;
  readonly reviews: readonly Review[];
}

/**
 * A transition from the transaction's private version; when its private data is missing, from the
 * public event and review completed with the record read from the ledger (a review leaves the escrow
 * unchanged: its record is read for the amounts and the author, not rewritten).
 */
async function resolve(
  read: TransactionRecords,
  event: NonNullable<TransactionRecords['event']>,
  txId: string,
  fallback: EscrowFallback | undefined,
): Promise<ResolvedTransition> {
  const escrowId = event.payload.escrowId;
  const written = read.escrows.find((record) => record.escrowId === escrowId);
  const rewrites = event.name !== REVIEW_POSTED;
  if (read.version !== undefined) {
    const filledIn = written === undefined && rewrites ? read.version.escrow : undefined;
    return { payload: read.version.event.payload, filledIn, reviews: read.reviews };
  }
  if (written === undefined && fallback === undefined)
    throw new Error(
      `transaction ${txId}: no private data of escrow ${escrowId} and no ledger to read it from`,
    );
  const record = written ?? (await (fallback as EscrowFallback)(escrowId));
  return {
    payload: reconstructedPayload(event.payload, record),
    filledIn: written === undefined && rewrites ? record : undefined,
    reviews:
      read.reviews.length > 0
        ? read.reviews
        : read.publicReviews.map((review) => fullReviewOf(review, record)),
  };
}

function fullReviewOf(review: PublicReview, escrow: Escrow): Review {
  return {
    docType: 'review',
    escrowId: escrow.escrowId,
    reviewer: review.reviewer,
    reviewerUserId: escrow[review.reviewer].userId,
    subject: review.subject,
    rating: review.rating,
    textHash: review.textHash,
    postedAt: review.postedAt,
  };
}

function reconstructedPayload(event: PublicEventPayload, record: Escrow): ReconstructedPayload {
  return {
    escrowId: event.escrowId,
    state: event.state,
    currency: record.currency,
    amount: record.amount,
    fundedAmount: record.fundedAmount,
    buyerRefund: record.buyerRefund,
    sellerPayout: record.sellerPayout,
    fee: record.fee,
    actor: { ...event.actor, mspId: mspIdOf(event.actor.organization) },
    txTime: event.txTime,
    details: {},
  };
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
