// Items and milestones through the real peers: a three-milestone escrow with one item disputed and
// resolved while the others are released, a reject-and-return whose address stays in the parties'
// collection, and the latency of an item-level transaction on a many-item escrow against the
// escrow-level one on a one-item escrow, in the same run.
import { returnAddressHashOf, TRANSACTIONS } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { CROSS_MARKET, type Step, Trade, fabricSuite } from '@p2p-escrow/testkit';
import { expectRefusal, expectTransition } from './assertions';

const MILESTONES = [
  { description: 'Design', price: '5000' },
  { description: 'Build', price: '4000' },
  { description: 'Handover', price: '3345' },
];

describe('items and milestones on the live network', function () {
  this.timeout(300_000);
  const pool = fabricSuite();

  async function fundedTrade(purpose: string, items: readonly { description: string; price: string }[]) {
    const amount = items.reduce((total, item) => total + BigInt(item.price), 0n).toString();
    const trade = new Trade(pool, CROSS_MARKET, purpose, amount);
    trade.terms = { items };
    await trade.create();
    await trade.fund();
    return trade;
  }

  const ship = (trade: Trade, item: number) =>
    trade.step('bea', TRANSACTIONS.shipItem, [trade.escrowId, String(item), 'DHL', `trk-${item}`]);
  const onItem = (trade: Trade, who: string, transaction: string, item: number) =>
    trade.step(who, transaction, [trade.escrowId, String(item)]);

  it('releases two milestones while the third is disputed, and ends when the arbiter resolves it', async () => {
    const trade = await fundedTrade('items-milestones', MILESTONES);
    await expectRefusal(
      trade.step('alice', TRANSACTIONS.shipItem, [trade.escrowId, '0', 'DHL', 'x']),
      'FORBIDDEN_ACTOR',
      trade,
    );
    await expectRefusal(ship(trade, 3), 'ITEM_NOT_FOUND', trade);
    for (const item of [0, 1, 2]) {
      expectTransition(await ship(trade, item), 'ItemShipped', item === 2 ? 'SHIPPED' : 'FUNDED', 'bea');
      await onItem(trade, 'alice', TRANSACTIONS.confirmItemDelivery, item);
    }
    const disputed = await trade.step('alice', TRANSACTIONS.disputeItem, [
      trade.escrowId,
      '1',
      'wall cracked',
      '[]',
    ]);
    expectTransition(disputed, 'ItemDisputed', 'DISPUTED', 'alice');
    // The other items go on while the dispute freezes item 1.
    expectTransition(
      await onItem(trade, 'alice', TRANSACTIONS.releaseItem, 0),
      'ItemReleased',
      'DISPUTED',
      'alice',
    );
    expectTransition(
      await onItem(trade, 'alice', TRANSACTIONS.releaseItem, 2),
      'ItemReleased',
      'DISPUTED',
      'alice',
    );
    await expectRefusal(onItem(trade, 'alice', TRANSACTIONS.releaseItem, 1), 'INVALID_STATE', trade);
    await expectRefusal(
      trade.step('bea', TRANSACTIONS.resolveItem, [trade.escrowId, '1', '0']),
      'FORBIDDEN_ACTOR',
      trade,
    );
    const resolved = await trade.step('olivia', TRANSACTIONS.resolveItem, [trade.escrowId, '1', '1000'], {
      endorsingOrganizations: trade.arbitration,
    });
    expectTransition(resolved, 'ItemResolved', 'RESOLVED', 'olivia');
    expect(resolved.escrow.itemLifecycles?.map((item) => item.state)).to.deep.equal([
      'RELEASED',
      'RESOLVED',
      'RELEASED',
    ]);
    // 2.5 % from each item's seller share: 125 + 75 + 83; the buyer gets 1 000 of item 1 back.
    expect(resolved.escrow).to.include({ buyerRefund: '1000', sellerPayout: '11062', fee: '283' });
    expect(resolved.event.payload['details']).to.include({
      item: 1,
      itemState: 'RESOLVED',
      buyerRefund: '1000',
    });
    await expectRefusal(
      trade.step('bea', TRANSACTIONS.shipEscrow, [trade.escrowId, 'DHL', 'again']),
      'INVALID_STATE',
      trade,
    );
  });

  it('refunds a rejected item once the seller confirms its return; the address stays with the parties', async () => {
    const trade = await fundedTrade('items-return', [
      { description: 'Jacket', price: '8230' },
      { description: 'Scarf', price: '4115' },
    ]);
    await ship(trade, 0);
    await onItem(trade, 'alice', TRANSACTIONS.confirmItemDelivery, 0);
    await expectRefusal(
      trade.step('bea', TRANSACTIONS.rejectItem, [trade.escrowId, '0', 'changed my mind']),
      'FORBIDDEN_ACTOR',
      trade,
    );
    const rejected = await trade.step('alice', TRANSACTIONS.rejectItem, [trade.escrowId, '0', 'wrong size']);
    expectTransition(rejected, 'ItemRejected', 'FUNDED', 'alice');
    const address = {
      escrowId: trade.escrowId,
      item: 0,
      salt: 'ab'.repeat(16),
      address: '9 Return Rd, Lyon',
    };
    const addressHash = returnAddressHashOf(address);
    await expectRefusal(
      trade.step('alice', TRANSACTIONS.provideReturnAddress, [trade.escrowId, '0', addressHash]),
      'FORBIDDEN_ACTOR',
      trade,
    );
    await expectRefusal(
      trade.step('alice', TRANSACTIONS.shipReturn, [trade.escrowId, '0', 'UPS', 'ret-0']),
      'INVALID_STATE',
      trade,
    );
    // A first attempt whose second step never committed: its hash declared, its salt lost with it.
    const lost = returnAddressHashOf({ ...address, salt: 'cd'.repeat(16) });
    const first = await trade.step('bea', TRANSACTIONS.provideReturnAddress, [trade.escrowId, '0', lost]);
    // The retry declares anew (every endorser reads the same empty private-data hash) and completes.
    const provided = await trade.step('bea', TRANSACTIONS.provideReturnAddress, [
      trade.escrowId,
      '0',
      addressHash,
    ]);
    expectTransition(provided, 'ReturnAddressProvided', 'FUNDED', 'bea');
    expect(provided.escrow.itemLifecycles?.[0]?.returnAddress).to.deep.equal({
      ...first.escrow.itemLifecycles?.[0]?.returnAddress,
      hash: addressHash,
    });
    expect(JSON.stringify(provided.escrow)).not.to.contain('Return Rd');
    await trade.putReturnAddress(address);
    // Stored, the address is final.
    await expectRefusal(
      trade.step('bea', TRANSACTIONS.provideReturnAddress, [trade.escrowId, '0', lost]),
      'INVALID_STATE',
      trade,
    );
    expect(await trade.readReturnAddress('alice', 0)).to.include({
      address: '9 Return Rd, Lyon',
      hashMatches: true,
    });
    expectTransition(
      await trade.step('alice', TRANSACTIONS.shipReturn, [trade.escrowId, '0', 'UPS', 'ret-0']),
      'ReturnShipped',
      'FUNDED',
      'alice',
    );
    await expectRefusal(onItem(trade, 'alice', TRANSACTIONS.confirmReturn, 0), 'FORBIDDEN_ACTOR', trade);
    const refunded = await onItem(trade, 'bea', TRANSACTIONS.confirmReturn, 0);
    expectTransition(refunded, 'ReturnConfirmed', 'FUNDED', 'bea');
    expect(refunded.escrow.itemLifecycles?.[0]).to.include({ state: 'REFUNDED', buyerRefund: '8230' });
    await ship(trade, 1);
    await onItem(trade, 'alice', TRANSACTIONS.confirmItemDelivery, 1);
    const ended = await onItem(trade, 'alice', TRANSACTIONS.releaseItem, 1);
    expectTransition(ended, 'ItemReleased', 'RESOLVED', 'alice');
    expect(ended.escrow).to.include({ buyerRefund: '8230', sellerPayout: '4013', fee: '102' });
  });

  it('measures an item-level transaction on a ten-item escrow against the escrow-level one on a one-item escrow', async () => {
    const ROUNDS = 2;
    const timed = async (run: () => Promise<Step>): Promise<number> => {
      const started = process.hrtime.bigint();
      await run();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const single: number[] = [];
    const multi: number[] = [];
    const tenItems = Array.from({ length: 10 }, (_, index) => ({
      description: `Part ${index}`,
      price: '1000',
    }));
    for (let round = 0; round < ROUNDS; round += 1) {
      const one = await fundedTrade('latency-one', [{ description: 'Camera', price: '10000' }]);
      single.push(await timed(() => one.ship()));
      single.push(await timed(() => one.confirmDelivery()));
      single.push(await timed(() => one.release()));
      const many = await fundedTrade('latency-ten', tenItems);
      multi.push(await timed(() => ship(many, 0)));
      multi.push(await timed(() => onItem(many, 'alice', TRANSACTIONS.confirmItemDelivery, 0)));
      multi.push(await timed(() => onItem(many, 'alice', TRANSACTIONS.releaseItem, 0)));
    }
    const median = (values: number[]): number => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    };
    console.log(
      `      submit-to-commit per transaction (ship, confirm, release; ${ROUNDS} rounds): one-item escrow median ${median(single).toFixed(0)} ms [${single.map((v) => v.toFixed(0)).join(', ')}], ten-item escrow (item-level) median ${median(multi).toFixed(0)} ms [${multi.map((v) => v.toFixed(0)).join(', ')}]`,
    );
    expect(multi).to.have.length(single.length);
  });
});
