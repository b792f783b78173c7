-- Up Migration
-- Reviews as posted on the ledger (text stays off-chain; its hash is here), and reputation derived
-- from them per reviewed user.
CREATE TABLE reviews (
  escrow_id           text NOT NULL,
  reviewer            text NOT NULL CHECK (reviewer IN ('buyer', 'seller')),
  reviewer_user_id    text NOT NULL,
  subject_marketplace text NOT NULL,
  subject_user_id     text NOT NULL,
  rating              smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text_hash           text NOT NULL,
  posted_at           timestamptz NOT NULL,
  tx_id               text NOT NULL,
  block_number        bigint NOT NULL,
  PRIMARY KEY (escrow_id, reviewer)
);

CREATE INDEX reviews_subject_idx ON reviews (subject_marketplace, subject_user_id, posted_at);

CREATE TABLE reputation (
  marketplace   text NOT NULL,
  user_id       text NOT NULL,
  review_count  integer NOT NULL,
  rating_sum    integer NOT NULL,
  rating_counts integer[] NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (marketplace, user_id)
);

-- Down Migration
DROP TABLE reputation;
DROP TABLE reviews;
