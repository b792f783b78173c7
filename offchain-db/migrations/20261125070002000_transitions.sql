-- Up Migration
-- One row per chaincode event of a valid escrow transaction, in ledger order.
CREATE TABLE transitions (
  id           bigserial PRIMARY KEY,
  escrow_id    text NOT NULL,
  block_number bigint NOT NULL,
  tx_id        text NOT NULL,
  tx_index     integer NOT NULL,
  event_index  integer NOT NULL,
  event_name   text NOT NULL,
  state        text NOT NULL,
  tx_time      timestamptz NOT NULL,
  payload      jsonb NOT NULL,
  -- When the mirror wrote the row: mirror lag = mirrored_at - commit time.
  mirrored_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT transitions_event_unique UNIQUE (tx_id, event_index)
);

CREATE INDEX transitions_escrow_idx ON transitions (escrow_id, block_number, tx_index);
CREATE INDEX transitions_block_idx ON transitions (block_number, tx_index);

-- Down Migration
DROP TABLE transitions;
