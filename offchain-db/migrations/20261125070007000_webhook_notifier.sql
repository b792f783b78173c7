-- Up Migration
-- What the notifier needs beyond the first webhook tables: sealed secrets with a grace period for the
-- previous one, per-subscription retry settings, and on each delivery the event itself (the body is
-- signed and sent as stored) with its ledger position, so deliveries of one escrow go out in order.
ALTER TABLE webhook_subscriptions
  ADD COLUMN previous_secret_expires_at timestamptz,
  ADD COLUMN retry_base_ms integer NOT NULL DEFAULT 10000 CHECK (retry_base_ms BETWEEN 100 AND 3600000),
  ADD COLUMN max_attempts integer CHECK (max_attempts IS NULL OR max_attempts BETWEEN 1 AND 100);

ALTER TABLE webhook_deliveries
  ADD COLUMN escrow_id text NOT NULL DEFAULT '',
  ADD COLUMN tx_index integer NOT NULL DEFAULT 0,
  ADD COLUMN event_index integer NOT NULL DEFAULT 0,
  ADD COLUMN payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The head of each (subscription, escrow) queue: the earliest undelivered event.
CREATE INDEX webhook_deliveries_queue_idx ON webhook_deliveries
  (subscription_id, escrow_id, block_number, tx_index, event_index) WHERE status IN ('pending', 'retrying');

-- Down Migration
DROP INDEX webhook_deliveries_queue_idx;
ALTER TABLE webhook_deliveries
  DROP COLUMN escrow_id, DROP COLUMN tx_index, DROP COLUMN event_index, DROP COLUMN payload, DROP COLUMN updated_at;
ALTER TABLE webhook_subscriptions
  DROP COLUMN previous_secret_expires_at, DROP COLUMN retry_base_ms, DROP COLUMN max_attempts;
