// The chaincode's list of marketplaces is ledger state that only a majority of the channel's orgs
// can change: a registry write endorsed by one org is invalidated at commit, a non-admin is refused
// by every endorser, and a suspension endorsed by two orgs takes effect on every peer. A suspended
// marketplace's identities are refused while the other marketplace trades on and Oversight's arbiter
// ends the suspended side's open escrows; reinstating restores it. The registry is left as founded.
import { expect } from 'chai';
import {
  CROSS_MARKET,
  SAME_MARKET_B,
  Trade,
  evaluateEscrow,
  fabricSuite,
  submitEscrow,
} from '@p2p-escrow/testkit';
import { expectPolicyFailure, expectRefusal, expectTransition } from './assertions';

interface Registry {
  marketplaces: { name: string; mspId: string; status: string }[];
}

const ORGS = ['MarketA', 'MarketB', 'Oversight'] as const;
const EVERY_ORG = ['MarketAMSP', 'MarketBMSP', 'OversightMSP'];
// Two of the three orgs: the channel's MAJORITY, without the marketplace being suspended.
const MAJORITY_WITHOUT_A = ['MarketBMSP', 'OversightMSP'];

describe('marketplace governance on the live network', function () {
  this.timeout(300_000);
  const pool = fabricSuite();

  async function registry(): Promise<Registry> {
    return (await evaluateEscrow(pool.onPeer('Oversight'), 'readMarketplaces', [])) as Registry;
  }

  async function statusOf(name: string): Promise<string | undefined> {
    return (await registry()).marketplaces.find((entry) => entry.name === name)?.status;
  }

  /** A registry write as `identity`, endorsed by `orgs`; waits until every peer committed it. */
  async function govern(identity: string, transaction: string, name: string, orgs: string[]): Promise<void> {
    const committed = await submitEscrow(pool.of(identity), transaction, [name], {
      endorsingOrganizations: orgs,
    });
    await pool.caughtUp(ORGS, committed.blockNumber);
  }

  after(async () => {
    // Leave the channel as founded for the other live tests, whatever happened above.
    if ((await statusOf('MarketA')) === 'suspended')
      await govern('oversight-admin', 'reinstateMarketplace', 'MarketA', MAJORITY_WITHOUT_A);
  });

  it('holds the founding marketplaces the network setup registered, all active', async () => {
    expect(
      (await registry()).marketplaces.map(({ name, mspId, status }) => ({ name, mspId, status })),
    ).to.deep.equal([
      { name: 'MarketA', mspId: 'MarketAMSP', status: 'active' },
      { name: 'MarketB', mspId: 'MarketBMSP', status: 'active' },
    ]);
  });

  it('invalidates a registry write endorsed by one org alone, refuses a non-admin, and changes nothing', async () => {
    const before = await registry();
    await expectPolicyFailure(
      pool.of('oversight-admin'),
      'suspendMarketplace',
      ['MarketB'],
      ['OversightMSP'],
    );
    await expectPolicyFailure(pool.of('marketa-admin'), 'suspendMarketplace', ['MarketB'], ['MarketAMSP']);
    await expectPolicyFailure(
      pool.of('marketa-admin'),
      'addMarketplace',
      [JSON.stringify({ name: 'MarketC', mspId: 'MarketCMSP' })],
      ['MarketAMSP'],
    );
    for (const identity of ['marketa-backend', 'olivia', 'alice']) {
      await expectRefusal(
        submitEscrow(pool.of(identity), 'suspendMarketplace', ['MarketB'], {
          endorsingOrganizations: EVERY_ORG,
        }),
        'FORBIDDEN_ACTOR',
      );
    }
    expect(await registry()).to.deep.equal(before);
  });

  it('suspends MarketA with a majority: its identities are refused, MarketB trades on, Oversight ends its open escrows, reinstating restores', async () => {
    const funded = new Trade(pool, CROSS_MARKET, 'suspended-funded');
    await funded.create();
    await funded.fund();
    const proposed = new Trade(pool, CROSS_MARKET, 'suspended-proposed');
    await proposed.propose();

    await govern('oversight-admin', 'suspendMarketplace', 'MarketA', MAJORITY_WITHOUT_A);
    expect(await statusOf('MarketA')).to.equal('suspended');

    // Every MarketA identity is refused by every endorser, reads included; so is a new trade with it.
    await expectRefusal(new Trade(pool, CROSS_MARKET, 'suspended-new').propose(), 'MARKETPLACE_SUSPENDED');
    await expectRefusal(funded.read('alice'), 'MARKETPLACE_SUSPENDED');
    await expectRefusal(
      funded.step('marketa-payments', 'recordSettlement', [funded.escrowId, 'buyer', 'payout-x']),
      'MARKETPLACE_SUSPENDED',
    );
    // Nor can it lift its own suspension, with any endorsement.
    await expectRefusal(
      submitEscrow(pool.of('marketa-admin'), 'reinstateMarketplace', ['MarketA'], {
        endorsingOrganizations: EVERY_ORG,
      }),
      'MARKETPLACE_SUSPENDED',
    );

    // MarketB keeps trading among its own users, and its seller ships what MarketA's buyer paid for.
    const local = new Trade(pool, SAME_MARKET_B, 'suspended-other-side');
    await local.create();
    expect((await local.fund()).escrow.state).to.equal('FUNDED');
    expect((await funded.ship()).escrow.state).to.equal('SHIPPED');

    // Oversight's arbiter ends the suspended side's open escrows: refund once paid, cancel before.
    const resolved = await funded.step('olivia', 'endSuspendedEscrow', [funded.escrowId, funded.amount], {
      endorsingOrganizations: EVERY_ORG,
    });
    expectTransition(resolved, 'Resolved', 'RESOLVED', 'olivia');
    expect(resolved.escrow.buyerRefund).to.equal(funded.amount);
    expect(resolved.event.payload['details']).to.deep.equal({ suspendedMarketplace: 'MarketA' });
    const cancelled = await proposed.step('olivia', 'endSuspendedEscrow', [proposed.escrowId], {
      endorsingOrganizations: EVERY_ORG,
    });
    expectTransition(cancelled, 'Cancelled', 'CANCELLED', 'olivia');

    // Any member org's admin may propose the reinstatement; a majority makes it binding.
    await govern('marketb-admin', 'reinstateMarketplace', 'MarketA', MAJORITY_WITHOUT_A);
    expect(await statusOf('MarketA')).to.equal('active');
    expect((await funded.read('alice')).state).to.equal('RESOLVED');
    const after = new Trade(pool, CROSS_MARKET, 'reinstated');
    expect((await after.create()).escrow.state).to.equal('CREATED');
  });
});
