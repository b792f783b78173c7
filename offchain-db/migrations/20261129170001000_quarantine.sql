-- Up Migration
-- Ledger transactions the mirror could not store even after making their texts storable (a value
-- PostgreSQL refuses): kept aside with the reason, so the mirror moves on and reconcile reports their
-- escrows as drift. Part of the projection: a rebuild empties and refills it.
CREATE TABLE quarantine (
  id             bigserial PRIMARY KEY,
  channel        text NOT NULL,
  block_number   bigint NOT NULL,
  tx_id          text NOT NULL,
  escrow_ids     text[] NOT NULL,
  reason         text NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT quarantine_tx_unique UNIQUE (channel, tx_id)
);

-- Down Migration
DROP TABLE quarantine;
