// One escrow's life on the live network, as the projection and Kafka see it: the escrow row, one
// transition per chaincode event in ledger order, the review and reputation, and the same events on
// Kafka under the escrow's key, in order, each with its deterministic event id.
import {
  CROSS_MARKET,
  GatewayPool,
  ensureDaemons,
  mirroredThrough,
  projectionPool,
  sha256Hex,
  topicMessages,
  Trade,
  type Step,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Pool } from 'pg';

describe('mirror and outbox relay on the live network', function () {
  this.timeout(180_000);
  const pool = new GatewayPool();
  let db: Pool;

  before(async () => {
    await ensureDaemons(['mirror', 'outbox-relay']);
    db = projectionPool();
  });

  after(async () => {
    pool.closeAll();
    await db.end();
  });

  it('turns a cross-marketplace lifecycle into its row, ordered transitions, a review and ordered Kafka events', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'mirror');
    const steps: Step[] = await trade.stepsThroughRelease();
    steps.push(await trade.recordSettlement('seller'));
    steps.push(
      await trade.step(CROSS_MARKET.buyer, 'postReview', [trade.escrowId, '5', sha256Hex('great camera')]),
    );
    await mirroredThrough(db, trade.lastBlock);

    const escrow = (await db.query('SELECT * FROM escrows WHERE escrow_id = $1', [trade.escrowId]))
      .rows[0] as Record<string, unknown> | undefined;
    expect(escrow).to.include({
      state: 'RELEASED',
      buyer_marketplace: 'MarketA',
      buyer_user_id: 'alice',
      seller_marketplace: 'MarketB',
      seller_user_id: 'bea',
      currency: 'EUR',
      amount: '12345',
      funded_amount: '12345',
      buyer_refund: '0',
      fee: '308',
      seller_payout: '12037',
      fee_bps: 250,
      version: 7,
      last_tx_id: steps[6]?.transactionId,
      item_text: 'Camera\nStrap',
    });

    const transitions = (
      await db.query<{ event_name: string; tx_id: string; block_number: bigint; state: string }>(
        'SELECT event_name, tx_id, block_number, state FROM transitions WHERE escrow_id = $1 ORDER BY block_number, tx_index',
        [trade.escrowId],
      )
    ).rows;
    expect(transitions.map((t) => t.event_name)).to.deep.equal([
      'EscrowCreated',
      'EscrowAccepted',
      'PaymentConfirmed',
      'Shipped',
      'DeliveryConfirmed',
      'Released',
      'SettlementRecorded',
      'ReviewPosted',
    ]);
    expect(transitions.map((t) => t.tx_id)).to.deep.equal(steps.map((s) => s.transactionId));
    expect(transitions.map((t) => t.block_number)).to.deep.equal(steps.map((s) => s.blockNumber));

    const review = (await db.query('SELECT * FROM reviews WHERE escrow_id = $1', [trade.escrowId]))
      .rows[0] as Record<string, unknown> | undefined;
    expect(review).to.include({
      reviewer: 'buyer',
      subject_marketplace: 'MarketB',
      subject_user_id: 'bea',
      rating: 5,
    });
    const reputation = (
      await db.query<{ review_count: number }>(
        "SELECT review_count FROM reputation WHERE marketplace = 'MarketB' AND user_id = 'bea'",
      )
    ).rows[0];
    expect(reputation?.review_count).to.be.greaterThan(0);

    const eventIds = steps.map((s) => `${s.transactionId}:0`);
    const messages = await topicMessages(new Set([trade.escrowId]), new Set(eventIds));
    expect(messages.map((m) => m.eventId)).to.deep.equal(eventIds);
    expect(messages.map((m) => m.eventType)).to.deep.equal(transitions.map((t) => t.event_name));
    expect(new Set(messages.map((m) => m.partition)).size).to.equal(1);
    expect(messages[5]?.value).to.deep.include({ type: 'Released', escrowId: trade.escrowId });
    const unsent = await db.query('SELECT 1 FROM outbox WHERE key = $1 AND sent_at IS NULL', [
      trade.escrowId,
    ]);
    expect(unsent.rowCount).to.equal(0);
  });
});
