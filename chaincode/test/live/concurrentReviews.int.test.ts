// Reviews are per-escrow keys and reputation is a scan, so reviews of one seller never contend on
// a shared counter: several buyers review the same seller at once and every transaction is VALID.
import { expect } from 'chai';
import {
  evaluateEscrow,
  CROSS_MARKET,
  SAME_MARKET_B,
  Trade,
  sha256Hex,
  fabricSuite,
} from '@p2p-escrow/testkit';
import { expectRefusal } from './assertions';

interface Reputation {
  reviewCount: number;
  ratingSum: number;
  ratingCounts: number[];
}

describe('concurrent reviews of one seller on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  async function reputationOf(marketplace: string, userId: string): Promise<Reputation> {
    return (await evaluateEscrow(pool.onPeer('Oversight'), 'getReputation', [
      marketplace,
      userId,
    ])) as Reputation;
  }

  it('commits every buyer’s review of bea VALID when submitted at once, and reputation counts them all', async () => {
    // bea sells to alice (MarketA) and bob (MarketB) twice each: cross- and same-marketplace escrows.
    const trades = [CROSS_MARKET, SAME_MARKET_B, CROSS_MARKET, SAME_MARKET_B].map(
      (parties, index) => new Trade(pool, parties, `review-${index}`),
    );
    await Promise.all(trades.map((trade) => trade.completeThroughRelease()));
    const ratings = ['5', '4', '5', '2'];
    const before = await reputationOf('MarketB', 'bea');

    const reviews = await Promise.all(
      trades.map((trade, index) =>
        trade.step(trade.parties.buyer, 'postReview', [
          trade.escrowId,
          ratings[index] ?? '5',
          sha256Hex(`review text ${trade.escrowId}`),
        ]),
      ),
    );
    // submitEscrow throws on any validation code other than VALID, so reaching here means no
    // MVCC_READ_CONFLICT; log how many landed in a shared block.
    const blocks = new Set(reviews.map((review) => review.blockNumber));
    console.log(`reviews: ${reviews.length} concurrent reviews committed VALID in ${blocks.size} block(s)`);
    reviews.forEach((review, index) => {
      expect(review.event.name).to.equal('ReviewPosted');
      expect(review.event.payload['details']).to.deep.include({
        reviewer: 'buyer',
        subjectMarketplace: 'MarketB',
        subjectUserId: 'bea',
        rating: Number(ratings[index]),
      });
    });

    await pool.caughtUp(
      ['Oversight'],
      reviews.map((review) => review.blockNumber).reduce((a, b) => (a > b ? a : b)),
    );
    const after = await reputationOf('MarketB', 'bea');
    expect(after.reviewCount - before.reviewCount).to.equal(4);
    expect(after.ratingSum - before.ratingSum).to.equal(16);
    expect(after.ratingCounts.map((count, stars) => count - (before.ratingCounts[stars] ?? 0))).to.deep.equal(
      [0, 1, 0, 1, 2],
    );
  });

  it('lets the seller review the buyer too, once per escrow', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'review-back');
    await trade.completeThroughRelease();
    const textHash = sha256Hex('prompt payment');
    const [byBuyer, bySeller] = await Promise.all([
      trade.step('alice', 'postReview', [trade.escrowId, '5', textHash]),
      trade.step('bea', 'postReview', [trade.escrowId, '4', textHash]),
    ]);
    expect(byBuyer.event.payload['details']).to.deep.include({ reviewer: 'buyer', subjectUserId: 'bea' });
    expect(bySeller.event.payload['details']).to.deep.include({
      reviewer: 'seller',
      subjectUserId: 'alice',
    });
    expect(bySeller.event.name).to.equal('ReviewPosted');
    expect(bySeller.event.payload['actor']).to.deep.include({ userId: 'bea', role: 'seller' });
    expect(bySeller.event.payload['state']).to.equal('RELEASED');
    await expectRefusal(trade.step('bea', 'postReview', [trade.escrowId, '1', textHash]), 'ALREADY_REVIEWED');
  });

  it('refuses a review before the escrow has ended', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'review-early');
    await trade.create();
    await trade.fund();
    await expectRefusal(
      trade.step('alice', 'postReview', [trade.escrowId, '5', sha256Hex('too early')]),
      'INVALID_STATE',
      trade,
    );
  });
});
