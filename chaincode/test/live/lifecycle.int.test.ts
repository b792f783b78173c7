// The happy path of an escrow through the real peers: every transition endorsed by exactly the orgs
// its key-level policy names, each answered with the new state and delivered as one chaincode event.
import { expect } from 'chai';
import { CROSS_MARKET, SAME_MARKET_B, Trade, fabricSuite } from '@p2p-escrow/testkit';
import { expectTransition } from './assertions';

describe('escrow lifecycle on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  it('runs a cross-marketplace escrow from creation to settlement, endorsed by MarketA and MarketB', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'lifecycle');
    expect(trade.endorsers).to.deep.equal(['MarketAMSP', 'MarketBMSP']);

    const proposed = await trade.propose();
    expectTransition(proposed, 'EscrowCreated', 'PROPOSED', 'marketa-backend');
    const created = await trade.accept();
    expectTransition(created, 'EscrowAccepted', 'CREATED', 'bea');
    expect(created.escrow.buyer).to.deep.equal({ marketplace: 'MarketA', userId: 'alice' });
    expect(created.escrow.seller).to.deep.equal({ marketplace: 'MarketB', userId: 'bea' });
    expect(created.escrow.fundedAmount).to.equal('0');

    const funded = await trade.fund();
    expectTransition(funded, 'PaymentConfirmed', 'FUNDED', 'marketa-payments');
    expect(funded.escrow.fundedAmount).to.equal('12345');
    expect(funded.event.payload['details']).to.deep.equal({ providerRef: `psp-${trade.escrowId}` });

    const shipped = await trade.ship();
    expectTransition(shipped, 'Shipped', 'SHIPPED', 'bea');
    // The delivery deadline runs from the shipment, by the escrow's delivery period.
    const deliverBy = shipped.escrow.deliverBy;
    expect(deliverBy).to.be.a('string');
    expect(Date.parse(deliverBy ?? '') - Date.parse(shipped.escrow.updatedAt)).to.equal(
      (shipped.escrow.deliveryPeriodSeconds ?? 0) * 1000,
    );
    expect(shipped.event.payload['details']).to.deep.equal({
      carrier: 'DHL',
      trackingRef: `trk-${trade.escrowId}`,
      deliverBy,
    });

    const delivered = await trade.confirmDelivery();
    expectTransition(delivered, 'DeliveryConfirmed', 'DELIVERED', 'alice');
    const inspectionEndsAt = delivered.escrow.delivery?.inspectionEndsAt;
    expect(Date.parse(inspectionEndsAt ?? '') - Date.parse(delivered.escrow.updatedAt)).to.equal(
      3 * 24 * 3600 * 1000,
    );
    expect(delivered.event.payload['details']).to.deep.equal({ inspectionEndsAt });

    const released = await trade.release();
    expectTransition(released, 'Released', 'RELEASED', 'alice');
    // fee = floor(12345 × 250 / 10 000) = 308, taken from the seller's share.
    expect(released.escrow).to.include({ buyerRefund: '0', sellerPayout: '12037', fee: '308' });

    const settled = await trade.recordSettlement('seller');
    expectTransition(settled, 'SettlementRecorded', 'RELEASED', 'marketa-payments');
    expect(settled.event.payload['details']).to.deep.equal({
      payee: 'seller',
      amount: '12037',
      providerRef: `payout-seller-${trade.escrowId}`,
    });
    expect(settled.escrow.settlements.seller?.amount).to.equal('12037');

    // The seller's org sees the same record, and the history holds every version in commit order.
    expect(await trade.read('bea')).to.deep.equal(settled.escrow);
    const history = (await trade.history('bea')) as { txId: string; escrow: { state: string } }[];
    expect(history.map((entry) => entry.escrow.state)).to.deep.equal([
      'PROPOSED',
      'CREATED',
      'FUNDED',
      'SHIPPED',
      'DELIVERED',
      'RELEASED',
      'RELEASED',
    ]);
    expect(history.map((entry) => entry.txId)).to.deep.equal(
      [proposed, created, funded, shipped, delivered, released, settled].map((step) => step.transactionId),
    );
  });

  it('runs a same-marketplace escrow endorsed by MarketB and Oversight', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'same-market');
    expect(trade.endorsers).to.deep.equal(['MarketBMSP', 'OversightMSP']);
    expectTransition(await trade.propose(), 'EscrowCreated', 'PROPOSED', 'marketb-backend');
    // Both parties trade on the backend's marketplace: the seller herself must agree.
    expectTransition(await trade.accept(), 'EscrowAccepted', 'CREATED', 'bea');
    expectTransition(await trade.fund(), 'PaymentConfirmed', 'FUNDED', 'marketb-payments');
    expectTransition(await trade.ship(), 'Shipped', 'SHIPPED', 'bea');
    // A carrier oracle may confirm delivery instead of the buyer: on a same-marketplace trade, Oversight's.
    const delivered = await trade.step('oversight-carrier', 'confirmDelivery', [trade.escrowId]);
    expectTransition(delivered, 'DeliveryConfirmed', 'DELIVERED', 'oversight-carrier');
    const released = await trade.release();
    expectTransition(released, 'Released', 'RELEASED', 'bob');
    expect(released.escrow).to.include({ sellerPayout: '12037', fee: '308' });
    expect(await trade.read('oscar')).to.deep.equal(released.escrow);
  });
});
