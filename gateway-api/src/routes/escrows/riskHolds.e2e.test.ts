// An arbiter lifts a risk hold through Oversight's gateway; a buyer may not. The hold itself is raised
// by Oversight's risk service identity straight on the ledger, as the risk service does.
import { expect } from 'chai';
import { CROSS_MARKET, Trade, as, fabricSuite } from '@p2p-escrow/testkit';

describe('gateway e2e: clearing a risk hold', function () {
  this.timeout(120_000);
  const pool = fabricSuite();
  const rule = 'velocity.buyer-1h';
  let route = '';

  before(async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'risk-clear-e2e');
    await trade.create();
    await trade.fund();
    const flag = { rule, reasonCode: 'VELOCITY_BUYER', severity: 'high', action: 'hold' };
    await trade.step('risk-service', 'raiseRiskFlag', [trade.escrowId, JSON.stringify(flag)]);
    await pool.caughtUp(['MarketA', 'MarketB', 'Oversight'], trade.lastBlock);
    route = `/v1/escrows/${trade.escrowId}/risk-flags/${rule}/clear`;
  });

  it('refuses the buyer (403)', async () => {
    const refused = await as('alice', 'POST', route, { reason: 'not mine to clear' });
    expect([refused.status, refused.body['code']], refused.text).to.deep.equal([403, 'ROLE_REQUIRED']);
  });

  it('lets the arbiter clear it with a reason; clearing it again is RISK_FLAG_NOT_FOUND', async () => {
    const cleared = await as('olivia', 'POST', route, { reason: 'checked with the buyer' });
    expect(cleared.status, cleared.text).to.equal(200);
    const escrow = cleared.body['escrow'] as {
      riskFlags: { clearedAt: string | null; clearReason: string }[];
    };
    expect(escrow.riskFlags[0]?.clearReason).to.equal('checked with the buyer');
    const again = await as('olivia', 'POST', route, { reason: 'twice' });
    expect([again.status, again.body['code']], again.text).to.deep.equal([404, 'RISK_FLAG_NOT_FOUND']);
  });
});
