// A competitor querying its own peer directly (fabric-gateway, not the project's gateway) gets no
// answer about a trade it is not part of: every query transaction that would return the escrow is
// refused to MarketA's identities for an escrow between two MarketB users, while MarketB and
// Oversight still read it.
import { expect } from 'chai';
import { evaluateEscrow, fabricSuite, SAME_MARKET_B, Trade } from '@p2p-escrow/testkit';
import { expectRefusal } from './assertions';

describe('escrow queries on the live network: who may read a trade', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  it('refuses MarketA’s identities, on MarketA’s own peer, every query of a MarketB-only trade', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'read-access');
    await trade.create();
    await trade.fund();
    await pool.caughtUp(['MarketA', 'Oversight'], trade.lastBlock);
    const onMarketA = { endorsingOrganizations: ['MarketAMSP'] };
    const queries: [string, string[]][] = [
      ['readEscrow', [trade.escrowId]],
      ['getHistory', [trade.escrowId]],
      ['listEscrowsByMarketplace', ['MarketB', '10', '']],
      ['listEscrowsByParty', ['MarketB', 'bob', '10', '']],
      ['listEscrowsByState', ['FUNDED', '10', '']],
    ];
    for (const identity of ['marketa-backend', 'alice', 'marketa-payments'])
      for (const [transaction, args] of queries)
        await expectRefusal(
          evaluateEscrow(pool.of(identity, 'MarketA'), transaction, args, onMarketA),
          'FORBIDDEN_ACTOR',
        );

    // The trade's own marketplace and Oversight still read it, each through its own peer.
    for (const reader of ['marketb-backend', 'bob', 'oscar']) {
      const read = await trade.read(reader);
      expect(read.buyer.userId, reader).to.equal('bob');
      // Proposed, accepted, funded.
      expect(await trade.history(reader), reader).to.have.length(3);
    }
  });
});
