// Reviews: once an escrow that both parties agreed to and that moved money has ended, each party
// may rate the other once.
// Each review is its own ledger key, so reputation is a scan, never a shared counter.
import { createHash } from 'node:crypto';
import {
  AlreadyReviewedError,
  CorruptStateError,
  EscrowError,
  InvalidInputError,
  InvalidStateError,
  NotAcceptedError,
} from '../errors/escrowErrors';
import { ForbiddenActorError } from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { type Escrow, type Party, PAYEES, type Payee, isTerminal } from '../escrow/escrow';
import { isBuyer, isSeller } from '../escrow/guards';
import { fromStateBytes } from '../ledger/stateSerializer';
import {
  type JsonObject,
  requireId,
  requireInstant,
  requireInteger,
  requireMarketplace,
  requireObject,
  requireOneOf,
  requireSha256Hex,
  toInstant,
} from '../validation/fields';

export interface Review {
  readonly docType: 'review';
  readonly escrowId: string;
  readonly reviewer: Payee;
  readonly reviewerUserId: string;
  readonly subject: Party;
  readonly rating: number;
  readonly textHash: string;
  readonly postedAt: string;
}

/**
 * What public state holds of a review, for everyone's reputation scans: whom it rates, from which
 * side, how and when; not the escrow, nor who wrote it. Its key ends in `ref`, a salted hash of the
 * escrow and the reviewer's side that only the trade's orgs can compute, so a review cannot be
 * linked to a trade (and through it to the other party) by anyone else. The full review is kept in
 * the trade's terms collection.
 */
export interface PublicReview {
  readonly docType: 'publicReview';
  readonly ref: string;
  readonly reviewer: Payee;
  readonly subject: Party;
  readonly rating: number;
  readonly textHash: string;
  readonly postedAt: string;
}

/** The review's public reference: SHA-256 of the trade's terms salt, the escrow and the side. */
export function reviewRef(termsSalt: string, escrowId: string, reviewer: Payee): string {
  return createHash('sha256').update(`${termsSalt}\u0000${escrowId}\u0000${reviewer}`).digest('hex');
}

export function publicReviewOf(review: Review, ref: string): PublicReview {
  return {
    docType: 'publicReview',
    ref,
    reviewer: review.reviewer,
    subject: review.subject,
    rating: review.rating,
    textHash: review.textHash,
    postedAt: review.postedAt,
  };
}

export function publicReviewFromBytes(bytes: Uint8Array): PublicReview {
  return readingReview(bytes, 'publicReview', (record) => ({
    docType: 'publicReview',
    ref: requireSha256Hex(record.ref, 'ref'),
    ...ratedFields(record),
  }));
}

/** The fields both forms of a review share: which side rated whom, how, and when. */
function ratedFields(record: JsonObject): Omit<Review, 'docType' | 'escrowId' | 'reviewerUserId'> {
  const subject = requireObject(record.subject, 'subject');
  return {
    reviewer: requireOneOf(record.reviewer, 'reviewer', PAYEES),
    subject: {
      marketplace: requireMarketplace(subject.marketplace, 'subject.marketplace'),
      userId: requireId(subject.userId, 'subject.userId'),
    },
    rating: requireInteger(record.rating, 'rating', 1, 5),
    textHash: requireSha256Hex(record.textHash, 'textHash'),
    postedAt: toInstant(requireInstant(record.postedAt, 'postedAt')),
  };
}

/** Reads a stored review of `docType`; anything unexpected is CORRUPT_STATE. */
function readingReview<T>(bytes: Uint8Array, docType: string, read: (record: JsonObject) => T): T {
  try {
    const record = requireObject(fromStateBytes(bytes), 'review');
    if (record.docType !== docType) throw new CorruptStateError(`docType is not ${docType}`);
    return read(record);
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`stored ${docType} is malformed: ${detail}`);
  }
}

/**
 * The rating a stored review gives, in either form: public reviews, and the full reviews that an
 * earlier version of the contract kept on public state (they still count for their subject).
 */
export function ratingOf(bytes: Uint8Array): { readonly rating: number } {
  let docType: unknown;
  try {
    docType = (fromStateBytes(bytes) as { docType?: unknown } | null)?.docType;
  } catch {
    throw new CorruptStateError('stored review is not JSON');
  }
  return docType === 'review' ? reviewFromBytes(bytes) : publicReviewFromBytes(bytes);
}

export interface Reputation {
  readonly marketplace: string;
  readonly userId: string;
  readonly reviewCount: number;
  readonly ratingSum: number;
  /** Mean rating rounded to two decimals, null without reviews. */
  readonly averageRating: number | null;
  /** How many reviews gave 1, 2, 3, 4 and 5 stars, in that order. */
  readonly ratingCounts: readonly number[];
}

function parseRating(value: string): number {
  if (!/^[1-5]$/.test(value)) throw new InvalidInputError('rating must be one of 1, 2, 3, 4, 5');
  return Number(value);
}

/** Builds the review `actor` posts on `escrow`; `alreadyPosted` says whether its key already exists. */
export function postReview(
  escrow: Escrow,
  actor: Actor,
  rating: string,
  textHash: string,
  nowMs: number,
  alreadyPosted: boolean,
): Review {
  // A trade the counterparty never agreed to says nothing about either party.
  if (escrow.acceptance === null) throw new NotAcceptedError('postReview', escrow.escrowId);
  if (!isTerminal(escrow.state) || escrow.funding === null)
    throw new InvalidStateError('postReview', escrow.state);
  const reviewer: Payee | undefined = isBuyer(escrow, actor)
    ? 'buyer'
    : isSeller(escrow, actor)
      ? 'seller'
      : undefined;
  if (reviewer === undefined)
    throw new ForbiddenActorError(`${actor.userId} is not a party to ${escrow.escrowId}`);
  const review: Review = {
    docType: 'review',
    escrowId: escrow.escrowId,
    reviewer,
    reviewerUserId: actor.userId,
    subject: reviewer === 'buyer' ? escrow.seller : escrow.buyer,
    rating: parseRating(rating),
    textHash: requireSha256Hex(textHash, 'textHash'),
    postedAt: toInstant(nowMs),
  };
  if (alreadyPosted) throw new AlreadyReviewedError(escrow.escrowId, reviewer);
  return review;
}

/** The party a reviewer rates: the other side of the escrow. */
export function reviewSubject(escrow: Escrow, actor: Actor): Party | undefined {
  if (isBuyer(escrow, actor)) return escrow.seller;
  if (isSeller(escrow, actor)) return escrow.buyer;
  return undefined;
}

export function reviewFromBytes(bytes: Uint8Array): Review {
  return readingReview(bytes, 'review', (record) => ({
    docType: 'review',
    escrowId: requireId(record.escrowId, 'escrowId'),
    reviewerUserId: requireId(record.reviewerUserId, 'reviewerUserId'),
    ...ratedFields(record),
  }));
}

export function reputationOf(subject: Party, reviews: readonly { readonly rating: number }[]): Reputation {
  const ratingCounts = [1, 2, 3, 4, 5].map(
    (stars) => reviews.filter((review) => review.rating === stars).length,
  );
  const ratingSum = reviews.reduce((total, review) => total + review.rating, 0);
  const reviewCount = reviews.length;
  return {
    marketplace: subject.marketplace,
    userId: subject.userId,
    reviewCount,
    ratingSum,
    averageRating: reviewCount === 0 ? null : Math.round((ratingSum * 100) / reviewCount) / 100,
    ratingCounts,
  };
}
