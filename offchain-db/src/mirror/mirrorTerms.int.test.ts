// The projection after commercial details left public state, on the live network: each org's
// projection reads full records and event payloads from the private writes its peer delivers with
// the blocks (terms collections it is a member of), and skips the trades of the others.
import { FabricConnection } from '@p2p-escrow/fabric-client';
import { chaincodeName, channelName } from '@p2p-escrow/scripts';
import {
  CROSS_MARKET,
  enrolledIdentity,
  GatewayPool,
  ensureDaemons,
  mirroredThrough,
  peerOf,
  projectionPool,
  SAME_MARKET_B,
  Trade,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Pool } from 'pg';
import { ProjectionLedger } from '../ledger/projectionLedger';
import { blockEffects, type BlockEffects } from './blockEffects';

/** MarketA's projection of blocks `from`..`to`, read through MarketA's peer as its backend identity. */
async function marketAEffects(from: bigint, to: bigint): Promise<BlockEffects[]> {
  const ledger = new ProjectionLedger(
    new FabricConnection(peerOf('MarketA'), enrolledIdentity('MarketA', 'marketa-backend')),
    { channel: channelName, chaincode: chaincodeName, mspId: 'MarketAMSP' },
  );
  const options = {
    channel: channelName,
    chaincodeName,
    organization: 'MarketA' as const,
    fallback: (escrowId: string) => ledger.escrowOnLedger(escrowId),
  };
  const stream = await ledger.blocks(from);
  const effects: BlockEffects[] = [];
  try {
    for await (const block of stream) {
      effects.push(await blockEffects(block, options));
      if (block.number >= to) break;
    }
  } finally {
    stream.close();
    ledger.close();
  }
  return effects;
}

describe('projections of the terms collections on the live network', function () {
  this.timeout(180_000);
  const pool = new GatewayPool();
  let db: Pool;

  before(async () => {
    await ensureDaemons(['mirror']);
    db = projectionPool();
  });

  after(async () => {
    pool.closeAll();
    await db.end();
  });

  it("stores each transition's full payload (amounts, acting user, details) from the terms collection", async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'terms-payload');
    await trade.propose();
    await trade.accept();
    const funded = await trade.fund();
    await mirroredThrough(db, trade.lastBlock);

    // The block's event names no amount and no user: the mirror took them from the private version.
    expect(funded.publicEvent.payload).not.to.have.property('amount');
    const payload = (
      await db.query<{ payload: Record<string, unknown> }>(
        'SELECT payload FROM transitions WHERE tx_id = $1',
        [funded.transactionId],
      )
    ).rows[0]?.payload;
    expect(payload).to.deep.include({ escrowId: trade.escrowId, amount: '12345', fundedAmount: '12345' });
    expect(payload?.['actor']).to.deep.include({ organization: 'MarketA', userId: 'marketa-payments' });
    expect(payload?.['details']).to.deep.include({ providerRef: `psp-${trade.escrowId}` });
    const outbox = (
      await db.query<{ payload: { data: unknown } }>('SELECT payload FROM outbox WHERE event_id = $1', [
        `${funded.transactionId}:0`,
      ])
    ).rows[0]?.payload;
    expect(outbox?.data).to.deep.equal(payload);
    expect(payload).to.deep.equal(funded.event.payload);
  });

  it("projects for MarketA a trade MarketA is party to, in full, and skips MarketB's own trade", async () => {
    const cross = new Trade(pool, CROSS_MARKET, 'terms-cross');
    const own = new Trade(pool, SAME_MARKET_B, 'terms-b-only');
    const first = await cross.propose();
    await own.propose();
    await own.accept();
    await cross.accept();
    const last = await cross.fund();

    const effects = await marketAEffects(first.blockNumber, last.blockNumber);

    // The keeper may commit deadline transitions of earlier tests' trades in between.
    const ours = (escrowId: string) => escrowId === cross.escrowId || escrowId === own.escrowId;
    const escrows = effects.flatMap((block) => block.escrows).filter((write) => ours(write.record.escrowId));
    const transitions = effects.flatMap((block) => block.transitions).filter((t) => ours(t.escrowId));
    expect([...new Set(escrows.map((write) => write.record.escrowId))]).to.deep.equal([cross.escrowId]);
    expect(effects.flatMap((block) => block.unreadable)).to.deep.equal([]);
    expect(transitions.map((t) => [t.escrowId, t.eventName])).to.deep.equal([
      [cross.escrowId, 'EscrowCreated'],
      [cross.escrowId, 'EscrowAccepted'],
      [cross.escrowId, 'PaymentConfirmed'],
    ]);
    const record = escrows.at(-1)?.record;
    expect(record?.buyer).to.deep.equal({ marketplace: 'MarketA', userId: 'alice' });
    expect(record).to.include({ state: 'FUNDED', fundedAmount: '12345' });
    expect(transitions.at(-1)?.payload.actor).to.deep.include({ userId: 'marketa-payments' });
  });
});
