// Risk holds through the real peers, each caller with its own Fabric identity straight to the peers
// (a rogue client skipping the gateway): Oversight's risk service raises a hold; the parties, their
// marketplaces and a third marketplace may not; a held delivered escrow past its inspection window is
// not released until an arbiter clears the hold, then it is.
import { expect } from 'chai';
import { CROSS_MARKET, ONE_MARKETPLACE_A, Trade, fabricSuite, untilPast } from '@p2p-escrow/testkit';
import { expectRefusal, expectTransition } from './assertions';

const FLAG = { rule: 'velocity.buyer-1h', reasonCode: 'VELOCITY_BUYER', severity: 'high', action: 'hold' };
const flagJson = (rule = FLAG.rule) => JSON.stringify({ ...FLAG, rule });

describe('risk holds on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  it('lets Oversight’s risk service raise a hold, once per rule, and no one else', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'risk-raise');
    await trade.create();
    await trade.fund();
    const raise = (identity: string) =>
      trade.step(identity, 'raiseRiskFlag', [trade.escrowId, flagJson()], {
        endorsingOrganizations: trade.endorsers,
      });
    for (const identity of ['alice', 'bea', 'marketa-backend', 'marketb-backend', 'olivia', 'keeper'])
      await expectRefusal(raise(identity), 'FORBIDDEN_ACTOR', trade);

    const raised = await raise('risk-service');
    expectTransition(raised, 'RiskFlagRaised', 'FUNDED', 'risk-service');
    expect(raised.event.payload['details']).to.deep.equal({ ...FLAG, by: 'risk-service@Oversight' });
    expect(raised.escrow.riskFlags).to.have.length(1);
    await expectRefusal(raise('risk-service'), 'RISK_FLAG_ALREADY_RAISED', trade);
  });

  it('refuses a third marketplace’s backend on a trade it has no part in', async () => {
    const trade = new Trade(pool, ONE_MARKETPLACE_A, 'risk-third');
    await trade.create();
    await expectRefusal(
      trade.step('marketb-backend', 'raiseRiskFlag', [trade.escrowId, flagJson()], {
        endorsingOrganizations: trade.endorsers,
      }),
      'FORBIDDEN_ACTOR',
      trade,
    );
  });

  it('keeps a held delivered escrow past its inspection window from release until the arbiter clears it', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'risk-held');
    await trade.create({ inspectionPeriodSeconds: 4 });
    await trade.fund();
    await trade.ship();
    const delivered = await trade.confirmDelivery();
    await trade.step('risk-service', 'raiseRiskFlag', [trade.escrowId, flagJson()]);
    await untilPast(new Date(delivered.escrow.delivery?.inspectionEndsAt ?? ''));

    const releaseByKeeper = () => trade.step('keeper', 'releaseEscrow', [trade.escrowId]);
    await expectRefusal(releaseByKeeper(), 'ESCROW_HELD', trade);
    await expectRefusal(
      trade.step('bea', 'clearRiskFlag', [trade.escrowId, FLAG.rule, 'mine']),
      'FORBIDDEN_ACTOR',
      trade,
    );

    const cleared = await trade.step('olivia', 'clearRiskFlag', [
      trade.escrowId,
      FLAG.rule,
      'checked with the buyer',
    ]);
    expectTransition(cleared, 'RiskFlagCleared', 'DELIVERED', 'olivia');
    expect(cleared.escrow.riskFlags[0]).to.include({ clearReason: 'checked with the buyer' });
    // The running keeper daemon may release it first: either way it ends released.
    try {
      expectTransition(await releaseByKeeper(), 'Released', 'RELEASED', 'keeper');
    } catch (error) {
      expect((await trade.read()).state, String(error)).to.equal('RELEASED');
    }
  });
});
