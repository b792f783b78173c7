-- Up Migration
-- A delivery whose subscription was deleted before it went out: `cancelled`, never retried, kept in
-- the log. Without it such deliveries stayed `pending`/`retrying` forever, due but never picked.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
  CHECK (status IN ('pending', 'delivered', 'retrying', 'dead', 'cancelled'));

-- Deliveries left unfinished by subscriptions deleted before this migration.
UPDATE webhook_deliveries d SET status = 'cancelled', next_attempt_at = NULL,
  last_error = 'subscription deleted', updated_at = now()
FROM webhook_subscriptions s
WHERE s.id = d.subscription_id AND NOT s.active AND d.status IN ('pending', 'retrying');

-- Down Migration
UPDATE webhook_deliveries SET status = 'dead' WHERE status = 'cancelled';
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
  CHECK (status IN ('pending', 'delivered', 'retrying', 'dead'));
