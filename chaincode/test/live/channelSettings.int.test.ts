// The channel's bounds on trades are ledger state: the endorsers refuse a creation whose fee is
// above the channel's cap, and only Oversight's admin may change the settings.
import { expect } from 'chai';
import { CROSS_MARKET, Trade, evaluateEscrow, fabricSuite } from '@p2p-escrow/testkit';
import { expectRefusal } from './assertions';

interface Settings {
  maxFeeBps: number;
  minInspectionPeriodSeconds: number;
}

describe('channel settings on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  async function settings(): Promise<Settings> {
    return (await evaluateEscrow(pool.onPeer('Oversight'), 'readChannelSettings', [])) as Settings;
  }

  it('refuses an escrow whose fee is above the channel’s cap, and accepts one at the cap', async () => {
    const { maxFeeBps } = await settings();
    expect(maxFeeBps).to.be.below(10_000);
    const above = new Trade(pool, CROSS_MARKET, 'fee-above-cap', '12345', 'EUR', maxFeeBps + 1);
    const refusal = await expectRefusal(above.create(), 'INVALID_INPUT');
    expect(refusal.message).to.include(`feeBps must be between 0 and ${maxFeeBps}`);
    await expectRefusal(above.read(), 'ESCROW_NOT_FOUND');
    const atCap = new Trade(pool, CROSS_MARKET, 'fee-at-cap', '12345', 'EUR', maxFeeBps);
    expect((await atCap.create()).escrow.feeBps).to.equal(maxFeeBps);
  });

  it('lets no one but Oversight’s admin change the settings', async () => {
    const before = await settings();
    const wider = JSON.stringify({ maxFeeBps: 10_000, minInspectionPeriodSeconds: 1 });
    const trade = new Trade(pool, CROSS_MARKET, 'settings-forbidden');
    for (const identity of ['marketa-admin', 'marketb-admin', 'olivia']) {
      await expectRefusal(
        trade.step(identity, 'setChannelSettings', [wider], {
          endorsingOrganizations: ['MarketAMSP', 'MarketBMSP'],
        }),
        'FORBIDDEN_ACTOR',
      );
    }
    expect(await settings()).to.deep.equal(before);
  });
});
