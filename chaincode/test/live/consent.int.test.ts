// Terms need both parties' consent, through the real peers: an escrow one side's marketplace opens is
// a proposal until the counterparty (or, across marketplaces, its marketplace acting for it) accepts.
// Before that nobody can fund it, the creator's side cannot accept it, and it can be declined or
// left to expire; a review of a trade never accepted, or never funded, is refused and changes no
// reputation.
import { expect } from 'chai';
import {
  CROSS_MARKET,
  SAME_MARKET_B,
  Trade,
  evaluateEscrow,
  fabricSuite,
  refusalOf,
  sha256Hex,
  untilPast,
} from '@p2p-escrow/testkit';
import { expectRefusal, expectTransition } from './assertions';

describe('consent to an escrow’s terms on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();
  const textHash = sha256Hex('never traded');

  const reputationOf = async (marketplace: string, userId: string) =>
    evaluateEscrow(pool.onPeer('Oversight'), 'getReputation', [marketplace, userId]);

  it('refuses funding before acceptance and the creator side’s acceptance; funds once the counterparty accepted', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'consent-accept');
    expectTransition(await trade.propose(), 'EscrowCreated', 'PROPOSED', 'marketa-backend');
    await expectRefusal(trade.fund(), 'NOT_ACCEPTED', trade);
    for (const creatorSide of ['marketa-backend', 'alice', 'marketa-payments'])
      await expectRefusal(trade.accept(creatorSide), 'FORBIDDEN_ACTOR', trade);
    await expectRefusal(trade.accept('bob'), 'FORBIDDEN_ACTOR', trade);

    const accepted = await trade.accept();
    expectTransition(accepted, 'EscrowAccepted', 'CREATED', 'bea');
    expect(accepted.escrow.acceptance?.acceptedBy).to.include({ organization: 'MarketB', userId: 'bea' });
    await expectRefusal(trade.accept(), 'INVALID_STATE', trade);
    expectTransition(await trade.fund(), 'PaymentConfirmed', 'FUNDED', 'marketa-payments');
  });

  it('lets the counterparty’s marketplace accept for it across marketplaces, but on one marketplace only the user', async () => {
    const cross = new Trade(pool, CROSS_MARKET, 'consent-backend');
    await cross.propose();
    expectTransition(await cross.accept('marketb-backend'), 'EscrowAccepted', 'CREATED', 'marketb-backend');

    const same = new Trade(pool, SAME_MARKET_B, 'consent-same-market');
    await same.propose();
    for (const creatorSide of ['marketb-backend', 'bob'])
      await expectRefusal(same.accept(creatorSide), 'FORBIDDEN_ACTOR', same);
    expectTransition(await same.accept('bea'), 'EscrowAccepted', 'CREATED', 'bea');
    expectTransition(await same.fund(), 'PaymentConfirmed', 'FUNDED', 'marketb-payments');
  });

  it('ends a declined proposal; a review of it is refused and reputation stays as it was', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'consent-decline');
    await trade.propose();
    await expectRefusal(trade.decline('marketa-backend'), 'FORBIDDEN_ACTOR', trade);
    const declined = await trade.decline();
    expectTransition(declined, 'EscrowDeclined', 'CANCELLED', 'bea');
    expect(declined.escrow).to.include({ fundedAmount: '0', buyerRefund: '0', sellerPayout: '0', fee: '0' });
    await expectRefusal(trade.fund(), 'INVALID_STATE', trade);

    const before = await reputationOf('MarketB', 'bea');
    await expectRefusal(trade.step('alice', 'postReview', [trade.escrowId, '1', textHash]), 'NOT_ACCEPTED');
    expect(await reputationOf('MarketB', 'bea')).to.deep.equal(before);
  });

  it('refuses a review of an accepted escrow cancelled before funding, and reputation stays as it was', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'consent-unfunded');
    await trade.create();
    expectTransition(
      await trade.step('alice', 'cancelEscrow', [trade.escrowId]),
      'Cancelled',
      'CANCELLED',
      'alice',
    );
    const before = await reputationOf('MarketB', 'bea');
    await expectRefusal(trade.step('alice', 'postReview', [trade.escrowId, '1', textHash]), 'INVALID_STATE');
    expect(await reputationOf('MarketB', 'bea')).to.deep.equal(before);
  });

  it('expires a proposal left unaccepted past accept-by, which then can no longer be accepted', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'consent-expire');
    const acceptBy = new Date(Date.now() + 4_000);
    await trade.propose({ acceptBy });
    await expectRefusal(trade.expire('alice'), 'DEADLINE_NOT_REACHED', trade);

    await untilPast(acceptBy);
    // The stack's keeper daemon expires proposals too: whoever is first, the escrow ends CANCELLED.
    const late = await refusalOf(trade.accept());
    expect(['DEADLINE_PASSED', 'INVALID_STATE'], late.message).to.include(late.code);
    try {
      expectTransition(await trade.expire(), 'EscrowExpired', 'CANCELLED', 'keeper');
    } catch (error) {
      expect((await trade.read()).state, `after ${String(error)}`).to.equal('CANCELLED');
    }
    const history = (await trade.history()) as { escrow: { state: string } }[];
    expect(history.map((entry) => entry.escrow.state)).to.deep.equal(['PROPOSED', 'CANCELLED']);
    await expectRefusal(trade.fund(), 'INVALID_STATE');
  });
});
