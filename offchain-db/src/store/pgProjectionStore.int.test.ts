// The store's compare-and-set on real PostgreSQL (a scratch schema): two writers applying the same
// block at once, one wins and the other writes nothing; replaying an applied block is refused. Each
// escrow's events are numbered in ledger order, in the transitions and the outbox alike, the same on a
// rebuild. A row follows every change of the terms (items, amount, deadlines) that consent allows.
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

  it("numbers each escrow's events 1, 2, 3 in ledger order, in its rows and its outbox messages, the same on a rebuild", async () => {
    const store = new PgProjectionStore(projectionPool(SCHEMA), 't');
    const record = escrowRecord('esc-seq');
    const blocks = [
      [
        escrowTx('tx-seq-1', 'EscrowCreated', record),
        escrowTx('tx-other-1', 'EscrowCreated', escrowRecord('esc-other')),
      ],
      [escrowTx('tx-seq-2', 'EscrowAccepted', record), escrowTx('tx-seq-3', 'Cancelled', record)],
    ];
    const numbered = async () => {
      const rows = await pool.query<{ tx_id: string; sequence: number; message: number }>(
        `SELECT t.tx_id, t.sequence, (o.payload->>'sequence')::int AS message
         FROM transitions t JOIN outbox o ON o.event_id = t.tx_id || ':' || t.event_index
         WHERE t.escrow_id = $1 ORDER BY t.block_number, t.tx_index`,
        ['esc-seq'],
      );
      return rows.rows;
    };
    try {
      await store.resetProjection(CHANNEL);
      await pool.query('TRUNCATE outbox');
      for (const [index, txs] of blocks.entries())
        await store.applyBlock(CHANNEL, await blockEffects(deliveredBlock(index, txs), options));
      const first = await numbered();
      expect(first).to.deep.equal([
        { tx_id: 'tx-seq-1', sequence: 1, message: 1 },
        { tx_id: 'tx-seq-2', sequence: 2, message: 2 },
        { tx_id: 'tx-seq-3', sequence: 3, message: 3 },
      ]);

      await store.resetProjection(CHANNEL);
      const whole = blocks.flat();
      await store.applyBlock(CHANNEL, await blockEffects(deliveredBlock(0, whole), options));
      expect(await numbered()).to.deep.equal(first);
    } finally {
      await store.close();
    }
  });

  it('follows changed terms: the row takes the accepted items (so search finds their text), amount and deadlines', async () => {
    const store = new PgProjectionStore(projectionPool(SCHEMA), 't');
    const before = escrowRecord('esc-terms');
    const after = escrowRecord('esc-terms', {
      amount: '9000',
      items: [{ description: 'Tripod', price: '9000' }],
      fundBy: '2030-01-03T00:00:00.000Z',
      inspectionPeriodSeconds: 172800,
      updatedAt: '2030-01-01T01:00:00.000Z',
    });
    try {
      await store.resetProjection(CHANNEL);
      await store.applyBlock(
        CHANNEL,
        await blockEffects(deliveredBlock(0, [escrowTx('tx-terms-1', 'EscrowCreated', before)]), options),
      );
      await store.applyBlock(
        CHANNEL,
        await blockEffects(deliveredBlock(1, [escrowTx('tx-terms-2', 'TermsAccepted', after)]), options),
      );
      const row = await pool.query<Record<string, unknown>>(
        `SELECT amount::text, item_text, fund_by, inspection_period_seconds, items
         FROM escrows WHERE escrow_id = $1`,
        ['esc-terms'],
      );
      expect(row.rows[0]).to.deep.include({
        amount: '9000',
        item_text: 'Tripod',
        fund_by: new Date('2030-01-03T00:00:00.000Z'),
        inspection_period_seconds: 172800,
        items: [{ description: 'Tripod', price: '9000' }],
      });
    } finally {
      await store.close();
    }
  });
});
