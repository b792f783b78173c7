// Who may fund, on the live network: only the buyer's marketplace's payments identity, whose key its
// payments service alone is handed. A rogue client holding MarketA's backend identity or its buyer's,
// skipping the gateway and the payments service and going straight to the peer with fabric-gateway,
// is refused by the chaincode, and the escrow stays unfunded.
import { escrowFromBytes, TRANSACTIONS } from '@p2p-escrow/chaincode';
import { CROSS_MARKET, escrowContract, fabricSuite, refusalOf, Trade } from '@p2p-escrow/testkit';
import { expect } from 'chai';

describe('funding may not be claimed by any identity but the payments one (live, straight to the peer)', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  for (const rogue of ['marketa-backend', 'alice', 'marketb-payments'] as const)
    it(`refuses fund signed by ${rogue} with FORBIDDEN_ACTOR, and changes nothing`, async () => {
      const trade = new Trade(pool, { ...CROSS_MARKET, payments: rogue }, `rogue-fund-${rogue}`);
      await trade.create();
      const refusal = await refusalOf(trade.fund());
      expect(refusal.code, refusal.message).to.equal('FORBIDDEN_ACTOR');
      const bytes = await escrowContract(pool.of('marketa-backend')).evaluateTransaction(
        TRANSACTIONS.readEscrow,
        trade.escrowId,
      );
      const escrow = escrowFromBytes(bytes);
      expect([escrow.state, escrow.funding]).to.deep.equal(['CREATED', null]);
    });
});
