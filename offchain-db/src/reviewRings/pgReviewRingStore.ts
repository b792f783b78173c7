// The PostgreSQL adapter of the review-ring job: reads funded trades and reviews from the projection
// (a review's author is the escrow's party on the reviewer's side), and records a run's findings in one
// transaction, once per run id.
import type { Pool, PoolClient } from 'pg';
import type { ReviewRingInput, ReviewRingRun } from './ringRun';
import { configJson, volumeJson } from './ringRun';
import type { RingReview, RingTrade } from './reviewRingModel';

export type RecordOutcome = 'recorded' | 'already recorded';

export class PgReviewRingStore {
  constructor(private readonly pool: Pool) {}

  async read(): Promise<ReviewRingInput> {
    const client = await this.pool.connect();
    try {
      // One snapshot: the trades, reviews and block belong together.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const block = await client.query<{ last_block: bigint | null }>(
        'SELECT max(last_block) AS last_block FROM checkpoint',
      );
      const trades = await client.query<{
        escrow_id: string;
        buyer_marketplace: string;
        buyer_user_id: string;
        seller_marketplace: string;
        seller_user_id: string;
        currency: string;
        funded_amount: string;
      }>(
        `SELECT escrow_id, buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id, currency,
           funded_amount::text FROM escrows WHERE funded_amount > 0 ORDER BY escrow_id`,
      );
      const reviews = await client.query<{
        escrow_id: string;
        reviewer_marketplace: string;
        reviewer_user_id: string;
        subject_marketplace: string;
        subject_user_id: string;
        rating: number;
      }>(
        `SELECT r.escrow_id,
           CASE r.reviewer WHEN 'buyer' THEN e.buyer_marketplace ELSE e.seller_marketplace END AS reviewer_marketplace,
           CASE r.reviewer WHEN 'buyer' THEN e.buyer_user_id ELSE e.seller_user_id END AS reviewer_user_id,
           r.subject_marketplace, r.subject_user_id, r.rating
         FROM reviews r JOIN escrows e ON e.escrow_id = r.escrow_id ORDER BY r.escrow_id, r.reviewer`,
      );
      await client.query('COMMIT');
      return {
        projectionBlock: block.rows[0]?.last_block ?? -1n,
        trades: trades.rows.map(
          (row): RingTrade => ({
            escrowId: row.escrow_id,
            buyer: { marketplace: row.buyer_marketplace, userId: row.buyer_user_id },
            seller: { marketplace: row.seller_marketplace, userId: row.seller_user_id },
            amount: BigInt(row.funded_amount),
            currency: row.currency,
          }),
        ),
        reviews: reviews.rows.map(
          (row): RingReview => ({
            escrowId: row.escrow_id,
            reviewer: { marketplace: row.reviewer_marketplace, userId: row.reviewer_user_id },
            subject: { marketplace: row.subject_marketplace, userId: row.subject_user_id },
            rating: row.rating,
          }),
        ),
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Records `run` at `recordedAt`, or nothing when a run of that id is recorded already. */
  async record(run: ReviewRingRun, recordedAt: Date): Promise<RecordOutcome> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO review_ring_runs (run_id, recorded_at, projection_block, config, trades, reviews, groups)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (run_id) DO NOTHING`,
        [
          run.runId,
          recordedAt,
          run.projectionBlock.toString(),
          JSON.stringify(configJson(run.config)),
          run.trades,
          run.reviews,
          run.rings.length,
        ],
      );
      if (inserted.rowCount === 0) {
        await client.query('ROLLBACK');
        return 'already recorded';
      }
      for (const ring of run.rings) await recordRing(client, run.runId, ring);
      await client.query('COMMIT');
      return 'recorded';
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

async function recordRing(
  client: PoolClient,
  runId: string,
  ring: ReviewRingRun['rings'][number],
): Promise<void> {
  await client.query(
    `INSERT INTO review_ring_groups (run_id, group_id, member_count, internal_trades, member_trades,
       internal_trade_share, mutual_high_review_pairs, pair_density, internal_volume)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      runId,
      ring.groupId,
      ring.members.length,
      ring.internalTrades,
      ring.memberTrades,
      ring.internalTradeShare,
      ring.mutualHighReviewPairs,
      ring.pairDensity,
      JSON.stringify(volumeJson(ring.internalVolume)),
    ],
  );
  await client.query(
    `INSERT INTO review_ring_members (run_id, group_id, marketplace, user_id)
     SELECT $1, $2, member.marketplace, member.user_id
     FROM unnest($3::text[], $4::text[]) AS member (marketplace, user_id)`,
    [runId, ring.groupId, ring.members.map((m) => m.marketplace), ring.members.map((m) => m.userId)],
  );
  const reviews = ring.flaggedReviews;
  await client.query(
    `INSERT INTO review_ring_flagged_reviews (run_id, group_id, escrow_id, reviewer_marketplace,
       reviewer_user_id, subject_marketplace, subject_user_id, rating)
     SELECT $1, $2, r.escrow_id, r.reviewer_marketplace, r.reviewer_user_id, r.subject_marketplace,
       r.subject_user_id, r.rating
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::smallint[])
       AS r (escrow_id, reviewer_marketplace, reviewer_user_id, subject_marketplace, subject_user_id, rating)
     ON CONFLICT DO NOTHING`,
    [
      runId,
      ring.groupId,
      reviews.map((r) => r.escrowId),
      reviews.map((r) => r.reviewer.marketplace),
      reviews.map((r) => r.reviewer.userId),
      reviews.map((r) => r.subject.marketplace),
      reviews.map((r) => r.subject.userId),
      reviews.map((r) => r.rating),
    ],
  );
}
