// mirrorHealth() on real PostgreSQL (a scratch schema), fed by a real Mirror and PgProjectionStore
// over synthetic blocks: a mirror that applies its blocks is advancing; one stuck on a block the
// projection refuses, or behind a height it saw, for longer than maxLagMs is not, and says why.
import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { migrateOffchain } from '@p2p-escrow/scripts';
import { projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Pool } from 'pg';
import { PgProjectionStore } from '../store/pgProjectionStore';
import { escrowRecord, escrowTx } from '../testing/blockBuilder';
import { syntheticChain } from '../testing/syntheticChain';
import { Mirror } from './mirror';
import { mirrorHealth, type MirrorHealth } from './mirrorHealth';
import { PgMirrorProgress } from './mirrorProgress';

const SCHEMA = 'mirror_health_check';
const CHANNEL = 'marketplace';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Polls mirrorHealth until `wanted` says yes; bounded. */
async function healthUntil(
  pool: Pool,
  maxLagMs: number,
  wanted: (health: MirrorHealth) => boolean,
): Promise<MirrorHealth> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = await mirrorHealth(pool, { maxLagMs });
    if (wanted(health)) return health;
    if (Date.now() > deadline) throw new Error(`mirror health stayed ${JSON.stringify(health)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('mirrorHealth on PostgreSQL', function () {
  this.timeout(60_000);
  let pool: Pool;
  let store: PgProjectionStore;
  let progress: PgMirrorProgress;

  beforeEach(async () => {
    pool = projectionPool(SCHEMA);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await migrateOffchain(SCHEMA);
    store = new PgProjectionStore(projectionPool(SCHEMA), 'escrow-events');
    progress = new PgMirrorProgress(pool, CHANNEL, quiet);
  });

  afterEach(async () => {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await pool.end();
  });

  it('is not advancing before the mirror has reported', async () => {
    expect(await mirrorHealth(pool, { maxLagMs: 60_000 })).to.deep.equal({
      advancing: false,
      detail: 'the mirror has not reported yet',
    });
  });

  it('is advancing while the mirror applies every block it sees', async () => {
    await new Mirror(
      syntheticChain(4),
      store,
      { channel: CHANNEL, chaincodeName: 'escrow', organization: OVERSIGHT },
      progress,
      quiet,
    ).run(3n);
    await progress.peerHeight(4n);

    const health = await mirrorHealth(pool, { maxLagMs: 60_000 });

    expect(health).to.deep.equal({ advancing: true, detail: 'marketplace: checkpoint 3, peer height 4' });
  });

  it('is not advancing once the mirror has failed on one block for longer than maxLagMs, naming it and the error', async () => {
    // The peer delivered no private data for block 2's transition, and the ledger read that would
    // fill it in fails on every attempt (a record it cannot read would be quarantined instead; an
    // outage is retried).
    const bare = syntheticChain(5, (n) =>
      n === 2
        ? { ...escrowTx('tx-bare', 'Shipped', escrowRecord('esc-2')), privateDataDelivered: false }
        : undefined,
    );
    const mirror = new Mirror(
      bare,
      store,
      {
        channel: CHANNEL,
        chaincodeName: 'escrow',
        organization: OVERSIGHT,
        retryDelayMs: 50,
        fallback: () => Promise.reject(new Error('LEDGER_UNAVAILABLE: the peer did not answer')),
      },
      progress,
      quiet,
    );
    const running = mirror.run();
    try {
      await progress.peerHeight(5n);
      const health = await healthUntil(pool, 300, (h) => h.detail.includes('has failed'));

      expect(health.advancing).to.equal(false);
      expect(health.detail).to.match(
        /^mirror not advancing: marketplace: block 2 has failed for \d+s: .*LEDGER_UNAVAILABLE/,
      );
    } finally {
      mirror.stop();
      await running;
    }
    expect(await store.lastBlock(CHANNEL)).to.equal(1n);
  });

  it('is not advancing when the checkpoint stays behind a height the mirror saw longer than maxLagMs ago', async () => {
    await new Mirror(
      syntheticChain(3),
      store,
      { channel: CHANNEL, chaincodeName: 'escrow', organization: OVERSIGHT },
      progress,
      quiet,
    ).run(2n);
    await progress.peerHeight(9n);
    expect((await mirrorHealth(pool, { maxLagMs: 60_000 })).advancing).to.equal(true);

    const health = await healthUntil(pool, 300, (h) => !h.advancing && h.detail.includes('checkpoint'));

    expect(health.detail).to.match(/checkpoint 2 has not reached block 8 seen \d+s ago/);
  });
});
