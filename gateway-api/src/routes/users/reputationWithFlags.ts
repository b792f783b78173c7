// Reputation with and without the reviews a review-ring run flagged: the ledger's totals stay as they
// are, and the flagged reviews (a subset of those the projection holds, which never runs ahead of the
// ledger) are subtracted for `excludingFlaggedReviews`.
import type { Reputation } from '@p2p-escrow/chaincode';
import type { FlaggedReviewTally } from '@p2p-escrow/offchain-db';

export interface ReputationWithFlags extends Reputation {
  readonly flaggedReviews: number;
  readonly excludingFlaggedReviews: { readonly count: number; readonly average: number | null };
}

export function reputationWithFlags(
  reputation: Reputation,
  flagged: FlaggedReviewTally,
): ReputationWithFlags {
  // Never more than the ledger counts, should the two ever disagree.
  const flaggedCount = Math.min(flagged.count, reputation.reviewCount);
  const count = reputation.reviewCount - flaggedCount;
  const sum = Math.max(0, reputation.ratingSum - (flaggedCount === 0 ? 0 : flagged.ratingSum));
  return {
    ...reputation,
    flaggedReviews: flaggedCount,
    excludingFlaggedReviews: { count, average: count === 0 ? null : Math.round((sum * 100) / count) / 100 },
  };
}
