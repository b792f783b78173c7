// Deadlines, settlement offers and the fee payer through the real peers: each new transaction
// commits for the identity the rules name and is refused, changing nothing, for one that they do not.
import { amountDue, TRANSACTIONS } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { CROSS_MARKET, Trade, fabricSuite, untilPast } from '@p2p-escrow/testkit';
import { expectRefusal, expectTransition } from './assertions';

describe('deadlines, settlement offers and the fee payer on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  async function disputedTrade(purpose: string): Promise<Trade> {
    const trade = new Trade(pool, CROSS_MARKET, purpose);
    await trade.create();
    await trade.fund();
    await trade.ship();
    await trade.dispute();
    return trade;
  }

  const offer = (trade: Trade, who: string, buyerRefund: string) =>
    trade.step(who, TRANSACTIONS.offerSettlement, [trade.escrowId, buyerRefund]);
  const answer = (trade: Trade, who: string, verb: 'accept' | 'decline') =>
    trade.step(
      who,
      verb === 'accept' ? TRANSACTIONS.acceptSettlementOffer : TRANSACTIONS.declineSettlementOffer,
      [trade.escrowId],
    );

  it('lets the buyer extend ship-by, and not the seller', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'terms-ship-by');
    await trade.create();
    await trade.fund();
    const later = new Date(Date.parse((await trade.read()).shipBy) + 24 * 3600_000).toISOString();
    await expectRefusal(
      trade.step('bea', TRANSACTIONS.extendShipBy, [trade.escrowId, later]),
      'FORBIDDEN_ACTOR',
      trade,
    );
    const extended = await trade.step('alice', TRANSACTIONS.extendShipBy, [trade.escrowId, later]);
    expectTransition(extended, 'ShipByExtended', 'FUNDED', 'alice');
    expect(extended.escrow.shipBy).to.equal(later);
  });

  it('resolves a dispute at the seller’s offer the buyer accepts; the arbiter may not offer, the offeror may not accept', async () => {
    const trade = await disputedTrade('terms-offer-accept');
    await expectRefusal(offer(trade, 'olivia', '100'), 'FORBIDDEN_ACTOR', trade);
    expectTransition(await offer(trade, 'bea', '4345'), 'SettlementOffered', 'DISPUTED', 'bea');
    await expectRefusal(answer(trade, 'bea', 'accept'), 'FORBIDDEN_ACTOR', trade);
    const accepted = await answer(trade, 'alice', 'accept');
    expectTransition(accepted, 'SettlementOfferAccepted', 'RESOLVED', 'alice');
    // The seller's share 8 000 carries the 2.5 % fee: 200.
    expect(accepted.escrow).to.include({ buyerRefund: '4345', sellerPayout: '7800', fee: '200' });
    // The arbiter reads the offer that ended it.
    const seen = await trade.read('olivia');
    expect(seen.offers.map((o) => [o.offeredBy, o.status])).to.deep.equal([['seller', 'accepted']]);
  });

  it('keeps the dispute open on the seller’s decline; the buyer’s marketplace may not decline for it', async () => {
    const trade = await disputedTrade('terms-offer-decline');
    await offer(trade, 'alice', '9000');
    await expectRefusal(answer(trade, 'marketb-backend', 'decline'), 'FORBIDDEN_ACTOR', trade);
    expectTransition(await answer(trade, 'bea', 'decline'), 'SettlementOfferDeclined', 'DISPUTED', 'bea');
  });

  it('applies the channel’s rule once a shipment misses deliver-by, not before', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'terms-deliver-by');
    trade.terms = { deliveryPeriodSeconds: 4 };
    await trade.create();
    await trade.fund();
    const shipped = await trade.ship();
    const deliverBy = new Date(shipped.escrow.deliverBy ?? '');
    await expectRefusal(
      trade.step('keeper', TRANSACTIONS.expireDelivery, [trade.escrowId]),
      'DEADLINE_NOT_REACHED',
      trade,
    );
    await untilPast(deliverBy);
    // The stack's keeper daemon applies it too: whoever is first, the escrow goes to the arbiter.
    try {
      expectTransition(
        await trade.step('keeper', TRANSACTIONS.expireDelivery, [trade.escrowId]),
        'DeliveryOverdue',
        'DISPUTED',
        'keeper',
      );
    } catch {
      // Refused as INVALID_STATE because the daemon was first: the state below says what happened.
    }
    const escrow = await trade.read('olivia');
    expect(escrow.state).to.equal('DISPUTED');
    expect(escrow.dispute?.reason).to.equal('delivery deadline passed');
  });

  it('funds a buyer-paid fee with the amount and the fee; the goods amount alone is refused', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'terms-fee-payer');
    trade.terms = { feePayer: 'buyer' };
    const created = await trade.create();
    expect(created.escrow).to.include({ buyerFeeShareBps: 10_000, buyerFee: '308' });
    await expectRefusal(trade.fund(), 'INVALID_INPUT', trade);
    const due = amountDue(created.escrow);
    const funded = await trade.step('marketa-payments', TRANSACTIONS.fundEscrow, [
      trade.escrowId,
      due,
      'EUR',
      `psp-${trade.escrowId}`,
    ]);
    expectTransition(funded, 'PaymentConfirmed', 'FUNDED', 'marketa-payments');
    expect(funded.escrow.fundedAmount).to.equal('12653');
  });
});
