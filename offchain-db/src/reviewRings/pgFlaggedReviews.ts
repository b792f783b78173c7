// What the gateways read of the review-ring flags: how many of a party's reviews the current run
// flagged, and their stars' sum. The current run is the newest recorded; none recorded flags nothing.
import type { Pool } from 'pg';
import { quoteIdentifier } from '../store/pgPool';

export interface FlaggedReviewTally {
  readonly count: number;
  readonly ratingSum: number;
}

export interface FlaggedReviews {
  of(marketplace: string, userId: string): Promise<FlaggedReviewTally>;
}

export class PgFlaggedReviews implements FlaggedReviews {
  /** `schema`: where the job records its runs (the auditor's projection, `public`). */
  constructor(
    private readonly pool: Pool,
    private readonly schema = 'public',
  ) {
    quoteIdentifier(schema);
  }

  async of(marketplace: string, userId: string): Promise<FlaggedReviewTally> {
    const result = await this.pool.query<{ count: number; rating_sum: number }>(
      `SELECT count(*)::int AS count, coalesce(sum(f.rating), 0)::int AS rating_sum
       FROM ${this.schema}.review_ring_flagged_reviews f
       WHERE f.run_id = (SELECT run_id FROM ${this.schema}.review_ring_runs
                         ORDER BY recorded_at DESC, run_id DESC LIMIT 1)
         AND f.subject_marketplace = $1 AND f.subject_user_id = $2`,
      [marketplace, userId],
    );
    const row = result.rows[0];
    return { count: row?.count ?? 0, ratingSum: row?.rating_sum ?? 0 };
  }
}
