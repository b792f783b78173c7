// Whatever text the ledger accepts, the mirror must be able to store (PostgreSQL refuses U+0000):
// the endorsers refuse a carrier, a dispute reason or an item description holding one with
// INVALID_TEXT, and nothing is written.
import { expect } from 'chai';
import { CROSS_MARKET, Trade, fabricSuite, sha256Hex } from '@p2p-escrow/testkit';
import { expectRefusal } from './assertions';

const NUL = '\u0000';

describe('text rules on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  it('refuses an escrow whose item description contains U+0000, and creates nothing', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'text-item');
    const request = {
      ...trade.request(),
      amount: '100',
      items: [{ description: `Camera${NUL}`, price: '100' }],
    };
    const refusal = await expectRefusal(
      trade.step(trade.parties.backend, 'createEscrow', [trade.escrowId, JSON.stringify(request)]),
      'INVALID_TEXT',
    );
    expect(refusal.message).to.include('items[0].description contains a control character (U+0000)');
    await expectRefusal(trade.read(), 'ESCROW_NOT_FOUND');
  });

  it('refuses a shipment whose carrier contains U+0000, and the escrow stays FUNDED', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'text-carrier');
    await trade.create();
    await trade.fund();
    await expectRefusal(
      trade.step('bea', 'shipEscrow', [trade.escrowId, `DHL${NUL}`, 'TRK-1']),
      'INVALID_TEXT',
      trade,
    );
    expect((await trade.read('bea')).state).to.equal('FUNDED');
  });

  it('refuses a dispute whose reason contains U+0000, and the escrow stays SHIPPED', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'text-reason');
    await trade.create();
    await trade.fund();
    await trade.ship();
    const evidence = JSON.stringify([sha256Hex('photo')]);
    await expectRefusal(
      trade.step('alice', 'disputeEscrow', [trade.escrowId, `broken${NUL}`, evidence]),
      'INVALID_TEXT',
      trade,
    );
    expect((await trade.read('alice')).state).to.equal('SHIPPED');
  });
});
