// A review carries the escrow's own endorsement policy: posting one rewrites its author's entry in
// the escrow's party index (kept in the trade's terms collection), a key guarded by AND(parties'
// orgs) (or AND(org, Oversight)). Two orgs that satisfy the chaincode-wide MAJORITY but are not the
// trade's cannot make a review: the outsider's peer does not even hold the terms to endorse it.
import { expect } from 'chai';
import {
  refusalOf,
  SAME_MARKET_B,
  Trade,
  escrowContract,
  evaluateEscrow,
  fabricSuite,
  sha256Hex,
} from '@p2p-escrow/testkit';

interface Reputation {
  reviewCount: number;
}

describe('review endorsement on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  async function reviewsOf(marketplace: string, userId: string): Promise<number> {
    const reputation = (await evaluateEscrow(pool.onPeer('Oversight'), 'getReputation', [
      marketplace,
      userId,
    ])) as Reputation;
    return reputation.reviewCount;
  }

  it('refuses a review of a MarketB-only trade endorsed by MarketA and Oversight: MarketA’s peer holds no terms', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'review-policy');
    await trade.completeThroughRelease();
    const before = await reviewsOf('MarketB', 'bea');
    const args = [trade.escrowId, '1', sha256Hex(`review ${trade.escrowId}`)];
    // MarketA + Oversight satisfy MAJORITY, not the escrow's AND(MarketB, Oversight); and the trade's
    // terms live in MarketB's and Oversight's collection, so MarketA's peer cannot even simulate it.
    const refusal = await refusalOf(
      escrowContract(pool.of('bob')).submit('postReview', {
        arguments: args,
        endorsingOrganizations: ['MarketAMSP', 'OversightMSP'],
      }),
    );
    expect(refusal.code, refusal.message).to.equal('TERMS_UNAVAILABLE');
    await pool.caughtUp(['Oversight'], trade.lastBlock);
    expect(await reviewsOf('MarketB', 'bea')).to.equal(before);
    // The trade's own orgs can still post it, once.
    const posted = await trade.step('bob', 'postReview', args);
    expect(posted.event.name).to.equal('ReviewPosted');
    await pool.caughtUp(['Oversight'], posted.blockNumber);
    expect(await reviewsOf('MarketB', 'bea')).to.equal(before + 1);
  });
});
