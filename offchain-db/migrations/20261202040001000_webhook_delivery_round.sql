-- Up Migration
-- Which queueing of a delivery an attempt belongs to. A redelivery or replay queues a delivery again
-- (round + 1) while an attempt of the previous round may still be in flight; that attempt's outcome
-- then records nothing, so it can neither mark the redelivered event dead nor delivered before the
-- partner has had it again.
ALTER TABLE webhook_deliveries ADD COLUMN round integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE webhook_deliveries DROP COLUMN round;
