// What the review-ring finder reads and what it reports: trades and reviews as the projection holds
// them, the thresholds (named, with defaults), and a flagged group with its evidence.

/** A marketplace's user. */
export interface RingParty {
  readonly marketplace: string;
  readonly userId: string;
}

/** An escrow that moved money: who bought from whom, for how much (minor units) in which currency. */
export interface RingTrade {
  readonly escrowId: string;
  readonly buyer: RingParty;
  readonly seller: RingParty;
  readonly amount: bigint;
  readonly currency: string;
}

/** A posted review: which party rated which, on which escrow, how many stars (1–5). */
export interface RingReview {
  readonly escrowId: string;
  readonly reviewer: RingParty;
  readonly subject: RingParty;
  readonly rating: number;
}

export interface ReviewRingConfig {
  /** A review with at least this many stars vouches for its subject. */
  readonly highRating: number;
  /** The smallest group that is a ring (two parties rating each other is an ordinary repeat trade). */
  readonly minMembers: number;
  /** Of the pairs of members, at least this share must have exchanged high reviews both ways. */
  readonly minPairDensity: number;
  /** Of the members' trades (each member's side counted), at least this share must be with another member. */
  readonly minInternalShare: number;
  /** Every member keeps at least this share of its own trades inside the group, or is dropped. */
  readonly minMemberInternalShare: number;
  /** At least this many trades between members. */
  readonly minInternalTrades: number;
  /** At least this volume (minor units, in one currency) traded between members. */
  readonly minInternalVolume: bigint;
}

export const DEFAULT_REVIEW_RING_CONFIG: ReviewRingConfig = {
  highRating: 4,
  minMembers: 3,
  minPairDensity: 0.5,
  minInternalShare: 0.5,
  minMemberInternalShare: 0.5,
  minInternalTrades: 3,
  minInternalVolume: 1000n,
};

/** A flagged group and why: its members, how much of their trading is internal, what they vouched. */
export interface ReviewRing {
  /** The first 16 hex digits of SHA-256 over the sorted members: the same group, the same id. */
  readonly groupId: string;
  /** Sorted by marketplace, then user id. */
  readonly members: readonly RingParty[];
  /** Trades between two members. */
  readonly internalTrades: number;
  /** Trades with at least one member on either side. */
  readonly memberTrades: number;
  /** Of the members' sides of trades, the share with another member: 2 × internalTrades / sides. */
  readonly internalTradeShare: number;
  /** Pairs of members who rated each other highly both ways. */
  readonly mutualHighReviewPairs: number;
  /** mutualHighReviewPairs / the number of pairs of members. */
  readonly pairDensity: number;
  /** Volume traded between members, per currency (minor units). */
  readonly internalVolume: Readonly<Record<string, bigint>>;
  /** The high reviews one member gave another: what reputation without flagged reviews leaves out. */
  readonly flaggedReviews: readonly RingReview[];
}

/** A party's key in maps: marketplace and user id, separated by a character neither may hold. */
export function partyKey(party: RingParty): string {
  return `${party.marketplace}\u0000${party.userId}`;
}

export function partyOfKey(key: string): RingParty {
  const [marketplace = '', userId = ''] = key.split('\u0000');
  return { marketplace, userId };
}

/** `marketplace/userId`, for people reading a report. */
export function partyLabel(party: RingParty): string {
  return `${party.marketplace}/${party.userId}`;
}
