// The store's compare-and-set on real PostgreSQL (a scratch schema): two writers applying the same
// block at once, one wins and the other writes nothing; replaying an applied block is refused.
import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { migrateOffchain } from '@p2p-escrow/scripts';
import { projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Pool } from 'pg';
import { blockEffects, type ProjectionOptions } from '../mirror/blockEffects';
import { deliveredBlock, escrowRecord, escrowTx } from '../testing/blockBuilder';
import { PgProjectionStore } from './pgProjectionStore';
import { CheckpointConflictError } from './projectionStore';

const SCHEMA = 'cas_check';
const CHANNEL = 'marketplace';
const options: ProjectionOptions = { chaincodeName: 'escrow', channel: CHANNEL, organization: OVERSIGHT };

async function effectsOf(number: number, escrowId: string) {
  const tx = escrowTx(`tx-${escrowId}`, 'EscrowCreated', escrowRecord(escrowId));
  return blockEffects(deliveredBlock(number, [tx]), options);
}

async function count(pool: Pool, table: string): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1;
}

describe('PgProjectionStore on PostgreSQL', function () {
  this.timeout(60_000);
  let pool: Pool;

  before(async () => {
    pool = projectionPool(SCHEMA);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await migrateOffchain(SCHEMA);
  });

  after(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await pool.end();
  });

  it('lets exactly one of two concurrent writers apply a block', async () => {
    const [a, b] = [
      new PgProjectionStore(projectionPool(SCHEMA), 't'),
      new PgProjectionStore(projectionPool(SCHEMA), 't'),
    ];
    try {
      expect(await a.lastBlock(CHANNEL)).to.equal(-1n);
      const outcomes = await Promise.allSettled([
        a.applyBlock(CHANNEL, await effectsOf(0, 'esc-a')),
        b.applyBlock(CHANNEL, await effectsOf(0, 'esc-b')),
      ]);

      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected).to.have.length(1);
      expect(rejected[0]?.reason).to.be.instanceOf(CheckpointConflictError);
      expect(await a.lastBlock(CHANNEL)).to.equal(0n);
      expect(await count(pool, 'escrows')).to.equal(1);
      expect(await count(pool, 'transitions')).to.equal(1);
      expect(await count(pool, 'outbox')).to.equal(1);

      const replay = await a.applyBlock(CHANNEL, await effectsOf(0, 'esc-c')).then(
        () => 'applied',
        (error: unknown) => (error instanceof CheckpointConflictError ? 'conflict' : String(error)),
      );
      expect(replay).to.equal('conflict');
      expect(await count(pool, 'escrows')).to.equal(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
