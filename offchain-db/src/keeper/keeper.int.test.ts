// The keeper on the live network: an escrow delivered with a two-second inspection window is released,
// an escrow left unfunded past its fund-by is cancelled, a proposal left unaccepted past its
// accept-by expires, and of an escrow moving per item, an item past its own inspection window is
// released, a rejected item whose seller gave no return address by addressBy is refunded and a
// shipped item past its own deliver-by meets the channel's rule, by nobody but the keeper. Waits poll the
// ledger (and the projection for the event's actor) with bounded deadlines.
import { TRANSACTIONS } from '@p2p-escrow/chaincode';
import {
  CROSS_MARKET,
  GatewayPool,
  ensureDaemons,
  projectionPool,
  SAME_MARKET_B,
  Trade,
  type EscrowView,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Pool } from 'pg';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('deadline keeper on the live network', function () {
  this.timeout(180_000);
  const pool = new GatewayPool();
  let db: Pool;

  before(async () => {
    await ensureDaemons(['mirror', 'keeper']);
    db = projectionPool();
  });

  after(async () => {
    pool.closeAll();
    await db.end();
  });

  async function stateOnLedger(trade: Trade, wanted: string): Promise<EscrowView> {
    return until(`${trade.escrowId} ${wanted} on the ledger`, 90_000, async () => {
      const escrow = await trade.read();
      return escrow.state === wanted ? escrow : undefined;
    });
  }

  async function actorOf(escrowId: string, eventName: string): Promise<Record<string, unknown>> {
    return until(`${eventName} of ${escrowId} mirrored`, 30_000, async () => {
      const { rows } = await db.query<{ payload: { actor: Record<string, unknown> } }>(
        'SELECT payload FROM transitions WHERE escrow_id = $1 AND event_name = $2',
        [escrowId, eventName],
      );
      return rows[0]?.payload.actor;
    });
  }

  it('releases a delivered escrow once its inspection window has passed', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'keeper-release');
    await trade.create({ inspectionPeriodSeconds: 2 });
    await trade.fund();
    await trade.ship();
    const delivered = await trade.confirmDelivery();
    expect(delivered.escrow.state).to.equal('DELIVERED');
    const released = await stateOnLedger(trade, 'RELEASED');
    expect(released.sellerPayout).to.equal('12037');
    expect(await actorOf(trade.escrowId, 'Released')).to.include({
      organization: 'Oversight',
      role: 'keeper',
      userId: 'keeper',
    });
  });

  it('releases an item past its own inspection window and refunds a return the seller left without an address', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'keeper-items');
    // Long enough for the buyer to reject item 1 inside its window on a loaded machine.
    await trade.create({ inspectionPeriodSeconds: 10 });
    await trade.fund();
    const { buyer, seller } = trade.parties;
    const onItem = (who: string, transaction: string, item: number, ...rest: string[]) =>
      trade.step(who, transaction, [trade.escrowId, String(item), ...rest]);
    for (const item of [0, 1])
      await onItem(seller, TRANSACTIONS.shipItem, item, 'DHL', `trk-${String(item)}`);
    await onItem(buyer, TRANSACTIONS.confirmItemDelivery, 1);
    const rejected = await onItem(buyer, TRANSACTIONS.rejectItem, 1, 'wrong colour');
    expect(rejected.escrow.itemLifecycles?.[1]?.state).to.equal('REJECTED');
    await onItem(buyer, TRANSACTIONS.confirmItemDelivery, 0);
    // Item 0 released (its price paid out less the fee), item 1 refunded: the escrow ends RESOLVED.
    const ended = await stateOnLedger(trade, 'RESOLVED');
    expect(ended.itemLifecycles?.map((item) => [item.state, item.closure?.closedBy.role])).to.deep.equal([
      ['RELEASED', 'keeper'],
      ['REFUNDED', 'keeper'],
    ]);
    expect(ended.itemLifecycles?.[1]?.buyerRefund).to.equal('4115');
    for (const event of ['ItemReleased', 'ReturnExpired'])
      expect(await actorOf(trade.escrowId, event)).to.include({ role: 'keeper', userId: 'keeper' });
  });

  it('applies the channel’s rule to one shipped item past its own deliver-by, the other item untouched', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'keeper-item-delivery');
    trade.terms = { deliveryPeriodSeconds: 4 };
    await trade.create();
    await trade.fund();
    const shipped = await trade.step(trade.parties.seller, TRANSACTIONS.shipItem, [
      trade.escrowId,
      '1',
      'DHL',
      'trk-late',
    ]);
    expect(shipped.escrow.itemLifecycles?.[1]?.deliverBy).to.be.a('string');
    // The channel's rule (a dispute by default) moves the escrow to DISPUTED through its item alone.
    const overdue = await until(`${trade.escrowId} item 1 overdue`, 90_000, async () => {
      const escrow = await trade.read();
      return escrow.itemLifecycles?.[1]?.state === 'SHIPPED' ? undefined : escrow;
    });
    expect([
      ['FUNDED', 'DISPUTED'],
      ['FUNDED', 'REFUNDED'],
    ]).to.deep.include(overdue.itemLifecycles?.map((item) => item.state));
    expect(await actorOf(trade.escrowId, 'ItemDeliveryOverdue')).to.include({
      role: 'keeper',
      userId: 'keeper',
    });
  });

  it('cancels an escrow left unfunded past its fund-by (same-marketplace endorsement)', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'keeper-cancel');
    // Time enough to propose and accept before fund-by.
    const fundBy = new Date(Date.now() + 6_000);
    await trade.create({ fundBy, shipBy: new Date(fundBy.getTime() + 86_400_000) });
    const cancelled = await stateOnLedger(trade, 'CANCELLED');
    expect(cancelled.fundedAmount).to.equal('0');
    expect(await actorOf(trade.escrowId, 'Cancelled')).to.include({ role: 'keeper', userId: 'keeper' });
  });

  it('expires a proposal its counterparty left unaccepted past accept-by', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'keeper-expire');
    const proposed = await trade.propose({ acceptBy: new Date(Date.now() + 3_000) });
    expect(proposed.escrow.state).to.equal('PROPOSED');
    const expired = await stateOnLedger(trade, 'CANCELLED');
    expect(expired.acceptance).to.equal(null);
    expect(await actorOf(trade.escrowId, 'EscrowExpired')).to.include({ role: 'keeper', userId: 'keeper' });
  });
});
