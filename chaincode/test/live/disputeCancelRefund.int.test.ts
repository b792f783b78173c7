// The other ways an escrow ends, through the real peers: arbitration of a dispute (Oversight plus one
// party's org), cancellation by a party or by anyone after fund-by, the buyer's refund claim after
// ship-by, and auto-release after the inspection window. Short deadlines are real instants that the
// test waits out: the endorsers' clock-skew check forbids stamping a proposal in the future instead.
import { expect } from 'chai';
import { refusalOf, CROSS_MARKET, Trade, untilPast, type Step, fabricSuite } from '@p2p-escrow/testkit';
import { expectRefusal, expectTransition } from './assertions';

/**
 * The keeper daemon of the running stack acts on the same deadlines, as the same `keeper` identity;
 * whichever submits first wins and the other's transaction is refused (INVALID_STATE) or invalidated
 * (MVCC_READ_CONFLICT). Either way the escrow must end in `state`, moved by `keeper`.
 */
async function keeperOutcome(trade: Trade, attempt: () => Promise<Step>, eventName: string, state: string) {
  try {
    const step = await attempt();
    expectTransition(step, eventName, state, 'keeper');
    return step.escrow;
  } catch (error) {
    const escrow = await trade.read();
    expect(escrow.state, `after ${String(error)}`).to.equal(state);
    return escrow;
  }
}

/** A late command is refused; once the keeper daemon has moved the escrow on, for its state instead. */
async function expectLateRefusal(attempt: Promise<unknown>): Promise<void> {
  const refusal = await refusalOf(attempt);
  expect(['DEADLINE_PASSED', 'INVALID_STATE'], refusal.message).to.include(refusal.code);
}

describe('escrow disputes, cancellations and refunds on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  it('resolves a dispute on a shipped escrow by the arbiter, endorsed by Oversight and MarketA', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'dispute');
    await trade.create();
    await trade.fund();
    await trade.ship();
    const disputed = await trade.dispute('arrived broken');
    expectTransition(disputed, 'DisputeRaised', 'DISPUTED', 'alice');
    expect(disputed.event.payload['details']).to.deep.equal({ reason: 'arrived broken' });
    expect(disputed.escrow.dispute?.evidenceHashes).to.have.length(1);

    const resolved = await trade.resolve('5000');
    expect(trade.arbitration).to.deep.equal(['OversightMSP', 'MarketAMSP']);
    expectTransition(resolved, 'Resolved', 'RESOLVED', 'olivia');
    // Seller's share 7345, fee floor(7345 × 250 / 10 000) = 183, paid out 7162.
    expect(resolved.escrow).to.include({
      fundedAmount: '12345',
      buyerRefund: '5000',
      sellerPayout: '7162',
      fee: '183',
    });

    const buyerPaid = await trade.recordSettlement('buyer');
    expectTransition(buyerPaid, 'SettlementRecorded', 'RESOLVED', 'marketa-payments');
    const sellerPaid = await trade.recordSettlement('seller');
    expect(sellerPaid.escrow.settlements).to.deep.include({
      buyer: { ...buyerPaid.escrow.settlements.buyer, amount: '5000' },
    });
    expect(sellerPaid.escrow.settlements.seller?.amount).to.equal('7162');
    await expectRefusal(trade.recordSettlement('seller'), 'ALREADY_SETTLED', trade);
  });

  it('resolves a dispute raised in the inspection window with a full refund, endorsed by Oversight and MarketB', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'dispute-window');
    await trade.create();
    await trade.fund();
    await trade.ship();
    await trade.confirmDelivery();
    expectTransition(await trade.dispute(), 'DisputeRaised', 'DISPUTED', 'alice');
    const resolved = await trade.step('olivia', 'resolveDispute', [trade.escrowId, '12345'], {
      endorsingOrganizations: ['OversightMSP', 'MarketBMSP'],
    });
    expectTransition(resolved, 'Resolved', 'RESOLVED', 'olivia');
    expect(resolved.escrow).to.include({ buyerRefund: '12345', sellerPayout: '0', fee: '0' });
  });

  it('lets the seller cancel before funding, and after funding with a full refund', async () => {
    const unfunded = new Trade(pool, CROSS_MARKET, 'cancel-created');
    await unfunded.create();
    const cancelled = await unfunded.step('bea', 'cancelEscrow', [unfunded.escrowId]);
    expectTransition(cancelled, 'Cancelled', 'CANCELLED', 'bea');
    expect(cancelled.escrow).to.include({ fundedAmount: '0', buyerRefund: '0', sellerPayout: '0', fee: '0' });

    const funded = new Trade(pool, CROSS_MARKET, 'cancel-funded');
    await funded.create();
    await funded.fund();
    // After funding only the seller may walk away; the buyer has to claim a refund or dispute.
    await expectRefusal(funded.step('alice', 'cancelEscrow', [funded.escrowId]), 'FORBIDDEN_ACTOR', funded);
    const refunded = await funded.step('bea', 'cancelEscrow', [funded.escrowId]);
    expectTransition(refunded, 'Cancelled', 'CANCELLED', 'bea');
    expect(refunded.escrow).to.include({ buyerRefund: '12345', sellerPayout: '0', fee: '0' });
    const settled = await funded.recordSettlement('buyer');
    expect(settled.escrow.settlements.buyer?.amount).to.equal('12345');
  });

  it('lets anyone cancel an escrow left unfunded past fund-by, and refuses funding after it', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'cancel-expired');
    const fundBy = new Date(Date.now() + 4_000);
    await trade.create({ fundBy, shipBy: new Date(fundBy.getTime() + 60_000) });
    // keeper (Oversight) is no party: before fund-by it has to wait.
    const cancelByKeeper = () =>
      trade.step('keeper', 'cancelEscrow', [trade.escrowId], { endorsingOrganizations: trade.endorsers });
    await expectRefusal(cancelByKeeper(), 'DEADLINE_NOT_REACHED', trade);

    await untilPast(fundBy);
    await expectLateRefusal(trade.fund());
    const cancelled = await keeperOutcome(trade, cancelByKeeper, 'Cancelled', 'CANCELLED');
    expect(cancelled).to.include({ fundedAmount: '0', buyerRefund: '0' });
  });

  it('refunds the buyer who claims after ship-by passed without shipment, and refuses late shipping', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'claim-refund');
    const fundBy = new Date(Date.now() + 5_000);
    const shipBy = new Date(fundBy.getTime() + 2_000);
    await trade.create({ fundBy, shipBy });
    await trade.fund();
    const claim = () => trade.step('alice', 'claimRefund', [trade.escrowId]);
    await expectRefusal(claim(), 'DEADLINE_NOT_REACHED', trade);

    await untilPast(shipBy);
    await expectRefusal(trade.ship(), 'DEADLINE_PASSED', trade);
    const refunded = await claim();
    expectTransition(refunded, 'Refunded', 'REFUNDED', 'alice');
    expect(refunded.escrow).to.include({
      fundedAmount: '12345',
      buyerRefund: '12345',
      sellerPayout: '0',
      fee: '0',
    });
  });

  it('auto-releases to the seller when anyone asks after the inspection window, not before', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'auto-release');
    await trade.create({ inspectionPeriodSeconds: 4 });
    await trade.fund();
    await trade.ship();
    const delivered = await trade.confirmDelivery();
    const inspectionEndsAt = new Date(delivered.escrow.delivery?.inspectionEndsAt ?? '');
    const releaseByKeeper = () =>
      trade.step('keeper', 'releaseEscrow', [trade.escrowId], { endorsingOrganizations: trade.endorsers });
    await expectRefusal(releaseByKeeper(), 'DEADLINE_NOT_REACHED', trade);

    await untilPast(inspectionEndsAt);
    await expectLateRefusal(trade.dispute());
    const released = await keeperOutcome(trade, releaseByKeeper, 'Released', 'RELEASED');
    expect(released).to.include({ sellerPayout: '12037', fee: '308' });
  });
});
