-- Up Migration
-- The mirror's position: one row per channel, advanced by compare-and-set in each block's transaction.
-- -1 means no block applied yet (the next is the genesis block 0).
CREATE TABLE checkpoint (
  channel         text PRIMARY KEY,
  last_block      bigint NOT NULL CHECK (last_block >= -1),
  last_block_time timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE checkpoint;
