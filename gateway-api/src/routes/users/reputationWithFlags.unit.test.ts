import { expect } from 'chai';
import { reputationWithFlags } from './reputationWithFlags';

const reputation = {
  marketplace: 'MarketA',
  userId: 'ann',
  reviewCount: 5,
  ratingSum: 19,
  averageRating: 3.8,
  ratingCounts: [1, 0, 0, 1, 3],
};

describe('reputation with and without flagged reviews', () => {
  it('keeps the ledger fields and leaves the flagged reviews out of the second figure', () => {
    const reported = reputationWithFlags(reputation, { count: 3, ratingSum: 15 });
    expect(reported).to.deep.include(reputation);
    expect(reported.flaggedReviews).to.equal(3);
    expect(reported.excludingFlaggedReviews).to.deep.equal({ count: 2, average: 2 });
  });

  it('reports the same figures when nothing is flagged, and null without any unflagged review', () => {
    expect(reputationWithFlags(reputation, { count: 0, ratingSum: 0 }).excludingFlaggedReviews).to.deep.equal(
      {
        count: 5,
        average: 3.8,
      },
    );
    expect(
      reputationWithFlags(reputation, { count: 5, ratingSum: 19 }).excludingFlaggedReviews,
    ).to.deep.equal({
      count: 0,
      average: null,
    });
  });
});
