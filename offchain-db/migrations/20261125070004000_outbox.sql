-- Up Migration
-- Events to publish, written in the mirror's block transaction. event_id is deterministic
-- (tx id + event index), so a replay inserts nothing new and consumers deduplicate on it.
CREATE TABLE outbox (
  id           bigserial PRIMARY KEY,
  event_id     text NOT NULL UNIQUE,
  event_type   text NOT NULL,
  topic        text NOT NULL,
  key          text NOT NULL,
  payload      jsonb NOT NULL,
  block_number bigint NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);

-- The relay's queue: unsent rows in insertion (ledger) order.
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

-- Down Migration
DROP TABLE outbox;
