-- Up Migration
-- The review rings the `review-rings` job flagged (offchain-db/src/reviewRings/): each run that
-- recorded its findings, the groups with their evidence, their member parties, and the high reviews
-- members gave each other (what reputation "excluding flagged reviews" leaves out). A run's id is a
-- hash of what it read (the projection's block, the thresholds) and found, so recording the same run
-- again changes nothing; the newest run is the current one.
CREATE TABLE review_ring_runs (
  run_id           text PRIMARY KEY,
  recorded_at      timestamptz NOT NULL,
  projection_block bigint NOT NULL,
  config           jsonb NOT NULL,
  trades           integer NOT NULL,
  reviews          integer NOT NULL,
  groups           integer NOT NULL
);
CREATE INDEX review_ring_runs_recorded_idx ON review_ring_runs (recorded_at DESC, run_id DESC);

CREATE TABLE review_ring_groups (
  run_id                   text NOT NULL REFERENCES review_ring_runs ON DELETE CASCADE,
  group_id                 text NOT NULL,
  member_count             integer NOT NULL CHECK (member_count >= 2),
  internal_trades          integer NOT NULL,
  member_trades            integer NOT NULL,
  internal_trade_share     double precision NOT NULL,
  mutual_high_review_pairs integer NOT NULL,
  pair_density             double precision NOT NULL,
  -- Minor units per currency, as decimal strings: {"EUR": "123400"}.
  internal_volume          jsonb NOT NULL,
  PRIMARY KEY (run_id, group_id)
);

CREATE TABLE review_ring_members (
  run_id      text NOT NULL,
  group_id    text NOT NULL,
  marketplace text NOT NULL,
  user_id     text NOT NULL,
  PRIMARY KEY (run_id, marketplace, user_id),
  FOREIGN KEY (run_id, group_id) REFERENCES review_ring_groups ON DELETE CASCADE
);

CREATE TABLE review_ring_flagged_reviews (
  run_id               text NOT NULL,
  group_id             text NOT NULL,
  escrow_id            text NOT NULL,
  reviewer_marketplace text NOT NULL,
  reviewer_user_id     text NOT NULL,
  subject_marketplace  text NOT NULL,
  subject_user_id      text NOT NULL,
  rating               smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  PRIMARY KEY (run_id, escrow_id, reviewer_marketplace, reviewer_user_id),
  FOREIGN KEY (run_id, group_id) REFERENCES review_ring_groups ON DELETE CASCADE
);
CREATE INDEX review_ring_flagged_reviews_subject_idx
  ON review_ring_flagged_reviews (run_id, subject_marketplace, subject_user_id);

DO $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO escrow_review_rings', current_schema());
END $$;

-- The job reads trades and reviews (no items, no record, no text hash) and the mirror's position,
-- and records runs; it never changes the projection nor a recorded run.
GRANT SELECT (escrow_id, buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id, currency,
  funded_amount) ON escrows TO escrow_review_rings;
GRANT SELECT (escrow_id, reviewer, subject_marketplace, subject_user_id, rating) ON reviews
  TO escrow_review_rings;
GRANT SELECT ON checkpoint TO escrow_review_rings;
GRANT SELECT, INSERT ON review_ring_runs, review_ring_groups, review_ring_members,
  review_ring_flagged_reviews TO escrow_review_rings;

-- The gateways report reputation with and without the current run's flagged reviews: whom each
-- rated and how, not which escrow nor who wrote it.
GRANT SELECT (run_id, recorded_at) ON review_ring_runs TO escrow_gateway;
GRANT SELECT (run_id, subject_marketplace, subject_user_id, rating) ON review_ring_flagged_reviews
  TO escrow_gateway;

-- Down Migration
DROP TABLE review_ring_flagged_reviews;
DROP TABLE review_ring_members;
DROP TABLE review_ring_groups;
DROP TABLE review_ring_runs;
DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM escrow_review_rings; '
    'REVOKE USAGE ON SCHEMA %1$I FROM escrow_review_rings', current_schema());
END $$;
