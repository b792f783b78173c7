// Delivery starts the inspection window that ends in the seller's payout, so only the buyer's side
// may confirm it: the buyer, a carrier of the buyer's marketplace or one of Oversight. A carrier of
// the seller's marketplace is refused by the endorsers and the escrow stays SHIPPED.
import { expect } from 'chai';
import { CROSS_MARKET, SAME_MARKET_B, Trade, fabricSuite } from '@p2p-escrow/testkit';
import { expectRefusal, expectTransition } from './assertions';

describe('who may confirm a delivery on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  async function shipped(parties: typeof CROSS_MARKET, purpose: string): Promise<Trade> {
    const trade = new Trade(pool, parties, purpose);
    await trade.create();
    await trade.fund();
    await trade.ship();
    return trade;
  }

  it('refuses MarketB’s carrier on a MarketA-buyer/MarketB-seller escrow (FORBIDDEN_ACTOR, still SHIPPED), and accepts MarketA’s', async () => {
    const trade = await shipped(CROSS_MARKET, 'carrier-cross');
    await expectRefusal(
      trade.step('marketb-carrier', 'confirmDelivery', [trade.escrowId]),
      'FORBIDDEN_ACTOR',
      trade,
    );
    expect((await trade.read('bea')).state).to.equal('SHIPPED');
    const delivered = await trade.step('marketa-carrier', 'confirmDelivery', [trade.escrowId]);
    expectTransition(delivered, 'DeliveryConfirmed', 'DELIVERED', 'marketa-carrier');
  });

  it('accepts Oversight’s carrier on a cross-marketplace escrow', async () => {
    const trade = await shipped(CROSS_MARKET, 'carrier-oversight');
    const delivered = await trade.step('oversight-carrier', 'confirmDelivery', [trade.escrowId]);
    expectTransition(delivered, 'DeliveryConfirmed', 'DELIVERED', 'oversight-carrier');
  });

  it('refuses the marketplace’s own carrier on a same-marketplace escrow: it is the seller’s too', async () => {
    const trade = await shipped(SAME_MARKET_B, 'carrier-same');
    await expectRefusal(
      trade.step('marketb-carrier', 'confirmDelivery', [trade.escrowId]),
      'FORBIDDEN_ACTOR',
      trade,
    );
    expect((await trade.read('bob')).state).to.equal('SHIPPED');
    const delivered = await trade.confirmDelivery();
    expectTransition(delivered, 'DeliveryConfirmed', 'DELIVERED', 'bob');
  });
});
