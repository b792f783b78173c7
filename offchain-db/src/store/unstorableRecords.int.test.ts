// Records PostgreSQL refuses as written, on real PostgreSQL (a scratch schema): a ledger text with
// U+0000 or a lone surrogate is stored with U+FFFD and stays searchable; a row refused for another
// reason is quarantined with its block, transaction, escrow and reason; either way the checkpoint
// advances and the rest of the block is applied.
import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { migrateOffchain } from '@p2p-escrow/scripts';
import { projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Pool } from 'pg';
import { blockEffects, type BlockEffects, type ProjectionOptions } from '../mirror/blockEffects';
import { PgReconcileStore } from '../reconcile/pgReconcileStore';
import {
  type buildBlock,
  compositeKey,
  deliveredBlock,
  escrowRecord,
  escrowTx,
  publicEventPayload,
  termsCollectionOf,
} from '../testing/blockBuilder';
import { PgProjectionStore } from './pgProjectionStore';

const SCHEMA = 'unstorable_check';
const CHANNEL = 'marketplace';
const options: ProjectionOptions = { chaincodeName: 'escrow', channel: CHANNEL, organization: OVERSIGHT };

/** An escrow in dispute whose free texts (item, carrier, tracking, reason) carry `text`. */
function disputedWith(escrowId: string, text: string): Record<string, unknown> {
  return escrowRecord(escrowId, {
    state: 'DISPUTED',
    items: [{ description: `Camera ${text} lens`, price: '12345' }],
    shipment: { carrier: `DH${text}L`, trackingRef: 'TR1', shippedAt: '2030-01-02T00:00:00.000Z' },
    dispute: { raisedAt: '2030-01-03T00:00:00.000Z', reason: `broken${text}glass`, evidenceHashes: [] },
  });
}

async function effectsOf(number: number, txs: Parameters<typeof buildBlock>[1]): Promise<BlockEffects> {
  return blockEffects(deliveredBlock(number, txs), options);
}

describe('PgProjectionStore with records PostgreSQL refuses as written', function () {
  this.timeout(60_000);
  let pool: Pool;
  let store: PgProjectionStore;

  before(async () => {
    pool = projectionPool(SCHEMA);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await migrateOffchain(SCHEMA);
    store = new PgProjectionStore(projectionPool(SCHEMA), 'escrow-events');
    expect(await store.lastBlock(CHANNEL)).to.equal(-1n);
    await store.applyBlock(CHANNEL, await effectsOf(0, []));
  });

  after(async () => {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await pool.end();
  });

  it('stores texts with U+0000 as U+FFFD, searchable, with their transition and outbox event', async () => {
    const record = disputedWith('esc-nul', '\u0000');
    const applied = await store.applyBlock(
      CHANNEL,
      await effectsOf(1, [escrowTx('tx-nul', 'DisputeRaised', record)]),
    );

    expect(applied.quarantined).to.deep.equal([]);
    expect(applied.repairedTexts).to.be.greaterThan(0);
    expect(await store.lastBlock(CHANNEL)).to.equal(1n);
    const row = (
      await pool.query<{ item_text: string; carrier: string; reason: string }>(
        `SELECT item_text, record->'shipment'->>'carrier' AS carrier, record->'dispute'->>'reason' AS reason
         FROM escrows WHERE escrow_id = 'esc-nul'`,
      )
    ).rows[0];
    expect(row).to.deep.equal({
      item_text: 'Camera \uFFFD lens',
      carrier: 'DH\uFFFDL',
      reason: 'broken\uFFFDglass',
    });
    const found = await pool.query(
      `SELECT escrow_id FROM escrows WHERE item_search @@ to_tsquery('simple', 'lens')`,
    );
    expect(found.rows).to.deep.equal([{ escrow_id: 'esc-nul' }]);
    const outbox = await pool.query<{ payload: { data: { escrowId: string } } }>(
      `SELECT payload FROM outbox WHERE event_id = 'tx-nul:0'`,
    );
    expect(outbox.rows[0]?.payload.data.escrowId).to.equal('esc-nul');
  });

  it('stores a lone surrogate as U+FFFD and keeps a paired one (an emoji) as written', async () => {
    const record = disputedWith('esc-surrogate', '\uD800 \uD83D\uDCF7');
    await store.applyBlock(CHANNEL, await effectsOf(2, [escrowTx('tx-sur', 'DisputeRaised', record)]));

    const row = (
      await pool.query<{ item_text: string }>(
        `SELECT item_text FROM escrows WHERE escrow_id = 'esc-surrogate'`,
      )
    ).rows[0];
    expect(row?.item_text).to.equal('Camera \uFFFD \uD83D\uDCF7 lens');
    expect(await store.lastBlock(CHANNEL)).to.equal(2n);
  });

  it('quarantines a transaction PostgreSQL refuses, applies the rest of the block and reports it as drift', async () => {
    const effects = await effectsOf(3, [
      escrowTx('tx-refused', 'EscrowCreated', escrowRecord('esc-refused')),
      escrowTx('tx-fine', 'EscrowCreated', escrowRecord('esc-fine')),
    ]);
    // A value no integer column holds: what a future record shape the projection misreads looks like.
    const refused: BlockEffects = {
      ...effects,
      escrows: effects.escrows.map((write) =>
        write.record.escrowId === 'esc-refused'
          ? { ...write, record: { ...write.record, inspectionPeriodSeconds: 2 ** 40 } }
          : write,
      ),
    };

    const applied = await store.applyBlock(CHANNEL, refused);

    expect(applied.quarantined.map((q) => ({ txId: q.txId, escrowIds: q.escrowIds }))).to.deep.equal([
      { txId: 'tx-refused', escrowIds: ['esc-refused'] },
    ]);
    expect(await store.lastBlock(CHANNEL)).to.equal(3n);
    const rows = await pool.query<{ escrow_id: string }>(
      `SELECT escrow_id FROM escrows WHERE escrow_id IN ('esc-refused', 'esc-fine')`,
    );
    expect(rows.rows).to.deep.equal([{ escrow_id: 'esc-fine' }]);
    const quarantine = await pool.query<{
      block_number: bigint;
      tx_id: string;
      escrow_ids: string[];
      reason: string;
    }>('SELECT block_number, tx_id, escrow_ids, reason FROM quarantine');
    expect(quarantine.rows).to.have.length(1);
    expect(quarantine.rows[0]).to.include({ block_number: 3n, tx_id: 'tx-refused' });
    expect(quarantine.rows[0]?.escrow_ids).to.deep.equal(['esc-refused']);
    expect(quarantine.rows[0]?.reason).to.match(/^22003: .*out of range/);
    expect(await new PgReconcileStore(pool).quarantined()).to.deep.equal([
      {
        escrowId: 'esc-refused',
        field: 'quarantined',
        ledger: 'present',
        projection: quarantine.rows[0]?.reason,
      },
    ]);
  });

  it('quarantines a transaction the mirror cannot read, applies the rest of the block and moves on', async () => {
    const applied = await store.applyBlock(
      CHANNEL,
      await effectsOf(4, [
        {
          txId: 'tx-unreadable',
          privateWrites: [
            {
              collection: termsCollectionOf(escrowRecord('esc-limbo')),
              key: compositeKey('escrow', 'esc-limbo'),
              value: { escrowId: 'esc-limbo', state: 'LIMBO' },
            },
          ],
          event: {
            name: 'Shipped',
            payload: publicEventPayload(escrowRecord('esc-limbo', { state: 'SHIPPED' })),
          },
        },
        escrowTx('tx-after', 'EscrowCreated', escrowRecord('esc-after')),
      ]),
    );

    expect(applied.quarantined.map((q) => [q.txId, q.escrowIds])).to.deep.equal([
      ['tx-unreadable', ['esc-limbo']],
    ]);
    expect(await store.lastBlock(CHANNEL)).to.equal(4n);
    const rows = await pool.query<{ escrow_id: string }>(
      `SELECT escrow_id FROM escrows WHERE escrow_id IN ('esc-limbo', 'esc-after')`,
    );
    expect(rows.rows).to.deep.equal([{ escrow_id: 'esc-after' }]);
    const quarantine = await pool.query<{ block_number: bigint; reason: string }>(
      `SELECT block_number, reason FROM quarantine WHERE tx_id = 'tx-unreadable'`,
    );
    expect(quarantine.rows[0]?.block_number).to.equal(4n);
    expect(quarantine.rows[0]?.reason).to.match(/^CORRUPT_STATE: /);
  });
});
