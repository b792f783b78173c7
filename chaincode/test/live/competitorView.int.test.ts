// What another marketplace's peer holds of a trade it is not part of. A MarketA identity reads, from
// MarketA's own peer and without the project's gateway, every block of a MarketB-only trade's whole
// lifecycle together with all the private data the peer will give it: the escrow id, its states and
// deadlines are there, its parties, items, amounts and references are not (not in a write set, an
// argument, an event or a response). The trade's own orgs see the same blocks with its terms.
import { publicEscrowFromBytes } from '@p2p-escrow/chaincode';
import { parseBlock } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { blockAndPrivateDataAt, containsText, fabricSuite, SAME_MARKET_B, Trade } from '@p2p-escrow/testkit';

/** An amount no other text in a block can spell by chance. */
const AMOUNT = '918273645';

describe('a competitor reading its own peer directly', function () {
  this.timeout(240_000);
  const pool = fabricSuite();

  it('finds a MarketB-only trade’s id, states and deadlines in the blocks, and none of its commerce', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'competitor-view', AMOUNT);
    const steps = await trade.stepsThroughRelease();
    const blocks = [...new Set(steps.map((step) => step.blockNumber))];
    await pool.caughtUp(['MarketA', 'MarketB', 'Oversight'], trade.lastBlock);

    const secrets = [
      AMOUNT,
      '"bob"',
      '"bea"',
      'Camera',
      'marketb-backend',
      'marketb-payments',
      `psp-${trade.escrowId}`,
      `trk-${trade.escrowId}`,
    ];
    const competitor = pool.of('marketa-backend', 'MarketA');
    for (const number of blocks) {
      const delivered = await blockAndPrivateDataAt(competitor, number);
      const bytes = delivered.serializeBinary();
      // The right blocks were read: they name the escrow.
      expect(containsText(bytes, trade.escrowId), `block ${number} names the escrow`).to.equal(true);
      expect(delivered.getPrivateDataMapMap().getLength(), `private data of block ${number}`).to.equal(0);
      for (const secret of secrets)
        expect(containsText(bytes, secret), `${secret} in block ${number} on MarketA's peer`).to.equal(false);
    }

    // What public state holds of the trade: the public record, naming where its terms live.
    const last = await blockAndPrivateDataAt(competitor, trade.lastBlock);
    const block = last.getBlock();
    if (block === undefined) throw new Error('no block delivered');
    const released = parseBlock(block)
      .transactions()
      .find((transaction) => transaction.id === steps.at(-1)?.transactionId);
    const writes = released?.readWriteSets.flatMap((set) => set.writes) ?? [];
    const record = writes.find((write) => write.key === `\u0000escrow\u0000${trade.escrowId}\u0000`);
    if (record === undefined) throw new Error('the release wrote no public escrow record');
    expect(publicEscrowFromBytes(record.value)).to.include({
      state: 'RELEASED',
      termsCollection: 'escrowTerms_MarketB',
    });

    // The trade's marketplace and Oversight receive the terms with the same blocks.
    for (const [identity, org] of [
      ['marketb-backend', 'MarketB'],
      ['oscar', 'Oversight'],
    ] as const) {
      const withTerms = await blockAndPrivateDataAt(pool.of(identity, org), trade.lastBlock);
      expect(withTerms.getPrivateDataMapMap().getLength(), `${org}'s private data`).to.be.greaterThan(0);
      expect(containsText(withTerms.serializeBinary(), AMOUNT), `${org} holds the amount`).to.equal(true);
    }
  });
});
