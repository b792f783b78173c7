// The PostgreSQL adapter of the mirror's store. One transaction per block: the checkpoint's
// compare-and-set comes first (it also locks the row, so a rival writer waits and then sees 0 rows),
// then the escrow upserts, transitions, reviews + reputation and the outbox rows. Every text is made
// storable first (storableJson.ts); a transaction PostgreSQL still refuses is quarantined
// (projectionQuarantine.ts) and the block goes through without it.
import type { Pool, PoolClient } from 'pg';
import { eventIdOf, type BlockEffects, type EscrowWrite } from '../mirror/blockEffects';
import { sequenceTransitions } from '../mirror/eventSequence';
import { CheckpointConflictError, type AppliedBlock, type ProjectionStore } from './projectionStore';
import { isRefusedData, quarantineUnreadable, writeEachTransaction } from './projectionQuarantine';
import { storableJson } from './storableJson';

export class PgProjectionStore implements ProjectionStore {
  constructor(
    private readonly pool: Pool,
    readonly topic: string,
  ) {}

  async lastBlock(channel: string): Promise<bigint> {
    await this.pool.query(
      'INSERT INTO checkpoint (channel, last_block) VALUES ($1, -1) ON CONFLICT (channel) DO NOTHING',
      [channel],
    );
    const result = await this.pool.query<{ last_block: bigint }>(
      'SELECT last_block FROM checkpoint WHERE channel = $1',
      [channel],
    );
    return result.rows[0]?.last_block ?? -1n;
  }

  async applyBlock(channel: string, effects: BlockEffects): Promise<AppliedBlock> {
    return this.inTransaction(async (client) => {
      const advanced = await client.query(
        `UPDATE checkpoint SET last_block = $2, last_block_time = COALESCE($4, last_block_time), updated_at = now()
         WHERE channel = $1 AND last_block = $3`,
        [channel, effects.blockNumber, effects.blockNumber - 1n, effects.blockTime ?? null],
      );
      if (advanced.rowCount !== 1) throw new CheckpointConflictError(channel, effects.blockNumber - 1n);
      const unreadable = await quarantineUnreadable(client, channel, effects);
      await client.query('SAVEPOINT block_effects');
      let applied: AppliedBlock;
      try {
        applied = { repairedTexts: await writeEffects(client, effects, this.topic), quarantined: [] };
      } catch (error) {
        if (!isRefusedData(error)) throw error;
        // Some row of the block is refused: apply it transaction by transaction, setting aside the
        // ones refused, so one record never holds up the ones after it.
        await client.query('ROLLBACK TO SAVEPOINT block_effects');
        applied = await writeEachTransaction(client, channel, effects, (part) =>
          writeEffects(client, part, this.topic),
        );
      }
      return { ...applied, quarantined: [...unreadable, ...applied.quarantined] };
    });
  }

  async resetProjection(channel: string): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('TRUNCATE escrows, transitions, reviews, reputation, quarantine');
      await client.query(
        `INSERT INTO checkpoint (channel, last_block) VALUES ($1, -1)
         ON CONFLICT (channel) DO UPDATE SET last_block = -1, last_block_time = NULL, updated_at = now()`,
        [channel],
      );
    });
  }

  async outboxBacklog(): Promise<number> {
    const result = await this.pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM outbox WHERE sent_at IS NULL',
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Writes the block's rows; returns how many texts had to be made storable. */
async function writeEffects(client: PoolClient, effects: BlockEffects, topic: string): Promise<number> {
  const sequences = await sequencesOf(client, effects);
  return (
    (await upsertEscrows(client, effects.escrows)) +
    (await insertTransitions(client, effects, sequences)) +
    (await insertReviews(client, effects)) +
    (await insertOutbox(client, effects, topic, sequences))
  );
}

/** Event id → its number within its escrow, continuing from what the projection already holds. */
async function sequencesOf(client: PoolClient, effects: BlockEffects): Promise<ReadonlyMap<string, number>> {
  if (effects.transitions.length === 0) return new Map();
  const escrowIds = [...new Set(effects.transitions.map((t) => t.escrowId))];
  const last = await client.query<{ escrow_id: string; last: number }>(
    `SELECT escrow_id, max(sequence) AS last FROM transitions WHERE escrow_id = ANY($1::text[])
     GROUP BY escrow_id`,
    [escrowIds],
  );
  return sequenceTransitions(effects.transitions, new Map(last.rows.map((row) => [row.escrow_id, row.last])));
}

function sequenceOf(sequences: ReadonlyMap<string, number>, eventId: string): number {
  const sequence = sequences.get(eventId);
  if (sequence === undefined) throw new Error(`event ${eventId} has no sequence number`);
  return sequence;
}

/** The newest write of each escrow in the block, with how many versions the block added. */
function newestPerEscrow(writes: readonly EscrowWrite[]): { write: EscrowWrite; versions: number }[] {
  const byId = new Map<string, { write: EscrowWrite; versions: number }>();
  for (const write of writes) {
    const seen = byId.get(write.record.escrowId);
    byId.set(write.record.escrowId, { write, versions: (seen?.versions ?? 0) + 1 });
  }
  return [...byId.values()];
}

async function upsertEscrows(client: PoolClient, writes: readonly EscrowWrite[]): Promise<number> {
  const built = newestPerEscrow(writes).map(({ write, versions }) => {
    const r = write.record;
    return {
      escrow_id: r.escrowId,
      state: r.state,
      buyer_marketplace: r.buyer.marketplace,
      buyer_user_id: r.buyer.userId,
      seller_marketplace: r.seller.marketplace,
      seller_user_id: r.seller.userId,
      currency: r.currency,
      amount: r.amount,
      funded_amount: r.fundedAmount,
      buyer_refund: r.buyerRefund,
      seller_payout: r.sellerPayout,
      fee: r.fee,
      fee_bps: r.feeBps,
      accept_by: r.acceptBy,
      fund_by: r.fundBy,
      ship_by: r.shipBy,
      inspection_period_seconds: r.inspectionPeriodSeconds,
      inspection_ends_at: r.delivery?.inspectionEndsAt ?? null,
      deliver_by: r.deliverBy,
      items: r.items,
      item_text: r.items.map((item) => item.description).join('\n'),
      record: r,
      versions,
      last_tx_id: write.txId,
      last_block: write.blockNumber.toString(),
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    };
  });
  if (built.length === 0) return 0;
  const rows = storableJson(built);
  await client.query(
    `INSERT INTO escrows AS e (escrow_id, state, buyer_marketplace, buyer_user_id, seller_marketplace,
       seller_user_id, currency, amount, funded_amount, buyer_refund, seller_payout, fee, fee_bps, accept_by,
       fund_by, ship_by, inspection_period_seconds, inspection_ends_at, deliver_by, items, item_text, record,
       version, last_tx_id, last_block, created_at, updated_at)
     SELECT escrow_id, state, buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id,
       currency, amount, funded_amount, buyer_refund, seller_payout, fee, fee_bps, accept_by, fund_by, ship_by,
       inspection_period_seconds, inspection_ends_at, deliver_by, items, item_text, record, versions,
       last_tx_id, last_block, created_at, updated_at
     FROM jsonb_to_recordset($1::jsonb) AS x(escrow_id text, state text, buyer_marketplace text,
       buyer_user_id text, seller_marketplace text, seller_user_id text, currency text, amount numeric,
       funded_amount numeric, buyer_refund numeric, seller_payout numeric, fee numeric, fee_bps integer,
       accept_by timestamptz, fund_by timestamptz, ship_by timestamptz, inspection_period_seconds integer,
       inspection_ends_at timestamptz, deliver_by timestamptz, items jsonb, item_text text, record jsonb, versions integer,
       last_tx_id text, last_block bigint, created_at timestamptz, updated_at timestamptz)
     ON CONFLICT (escrow_id) DO UPDATE SET
       state = EXCLUDED.state, funded_amount = EXCLUDED.funded_amount,
       buyer_refund = EXCLUDED.buyer_refund, seller_payout = EXCLUDED.seller_payout, fee = EXCLUDED.fee,
       amount = EXCLUDED.amount, items = EXCLUDED.items, item_text = EXCLUDED.item_text,
       fund_by = EXCLUDED.fund_by, inspection_period_seconds = EXCLUDED.inspection_period_seconds,
       inspection_ends_at = EXCLUDED.inspection_ends_at, ship_by = EXCLUDED.ship_by,
       deliver_by = EXCLUDED.deliver_by, record = EXCLUDED.record,
       version = e.version + EXCLUDED.version, last_tx_id = EXCLUDED.last_tx_id,
       last_block = EXCLUDED.last_block, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(rows.value)],
  );
  return rows.repaired;
}

async function insertTransitions(
  client: PoolClient,
  effects: BlockEffects,
  sequences: ReadonlyMap<string, number>,
): Promise<number> {
  if (effects.transitions.length === 0) return 0;
  const rows = storableJson(
    effects.transitions.map((t) => ({
      sequence: sequenceOf(sequences, eventIdOf(t.txId, t.eventIndex)),
      escrow_id: t.escrowId,
      block_number: t.blockNumber.toString(),
      tx_id: t.txId,
      tx_index: t.txIndex,
      event_index: t.eventIndex,
      event_name: t.eventName,
      state: t.payload.state,
      tx_time: t.payload.txTime,
      payload: t.payload,
    })),
  );
  await client.query(
    `INSERT INTO transitions (escrow_id, block_number, tx_id, tx_index, event_index, event_name, state,
       tx_time, payload, sequence)
     SELECT escrow_id, block_number, tx_id, tx_index, event_index, event_name, state, tx_time, payload, sequence
     FROM jsonb_to_recordset($1::jsonb) AS x(escrow_id text, block_number bigint, tx_id text,
       tx_index integer, event_index integer, event_name text, state text, tx_time timestamptz, payload jsonb,
       sequence integer)
     ORDER BY tx_index, event_index
     ON CONFLICT (tx_id, event_index) DO NOTHING`,
    [JSON.stringify(rows.value)],
  );
  return rows.repaired;
}

async function insertReviews(client: PoolClient, effects: BlockEffects): Promise<number> {
  let repaired = 0;
  for (const { review: asWritten, txId, blockNumber } of effects.reviews) {
    const stored = storableJson(asWritten);
    repaired += stored.repaired;
    const review = stored.value;
    const inserted = await client.query(
      `INSERT INTO reviews (escrow_id, reviewer, reviewer_user_id, subject_marketplace, subject_user_id,
         rating, text_hash, posted_at, tx_id, block_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        review.escrowId,
        review.reviewer,
        review.reviewerUserId,
        review.subject.marketplace,
        review.subject.userId,
        review.rating,
        review.textHash,
        review.postedAt,
        txId,
        blockNumber,
      ],
    );
    if (inserted.rowCount !== 1) continue;
    const counts = [1, 2, 3, 4, 5].map((star) => (star === review.rating ? 1 : 0));
    await client.query(
      `INSERT INTO reputation AS r (marketplace, user_id, review_count, rating_sum, rating_counts, updated_at)
       VALUES ($1, $2, 1, $3, $4, $5)
       ON CONFLICT (marketplace, user_id) DO UPDATE SET
         review_count = r.review_count + 1, rating_sum = r.rating_sum + EXCLUDED.rating_sum,
         rating_counts = ARRAY(SELECT a + b FROM unnest(r.rating_counts, EXCLUDED.rating_counts) AS u(a, b)),
         updated_at = GREATEST(r.updated_at, EXCLUDED.updated_at)`,
      [review.subject.marketplace, review.subject.userId, review.rating, counts, review.postedAt],
    );
  }
  return repaired;
}

async function insertOutbox(
  client: PoolClient,
  effects: BlockEffects,
  topic: string,
  sequences: ReadonlyMap<string, number>,
): Promise<number> {
  if (effects.outbox.length === 0) return 0;
  const rows = storableJson(
    effects.outbox.map((event) => ({
      event_id: event.eventId,
      event_type: event.eventType,
      topic,
      key: event.key,
      // The same number as the event's transition row: Kafka, webhooks and the events API agree.
      payload: { ...event.message, sequence: sequenceOf(sequences, event.eventId) },
      block_number: event.blockNumber.toString(),
    })),
  );
  // Rows keep block order (their ids ascend with it), which the relay publishes in.
  await client.query(
    `INSERT INTO outbox (event_id, event_type, topic, key, payload, block_number)
     SELECT event_id, event_type, topic, key, payload, block_number
     FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (event_id text, event_type text, topic text,
       key text, payload jsonb, block_number bigint)) WITH ORDINALITY
       AS x(event_id, event_type, topic, key, payload, block_number, n)
     ORDER BY n
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows.value)],
  );
  return rows.repaired;
}
