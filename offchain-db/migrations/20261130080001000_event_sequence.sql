-- Up Migration
-- Each event's number within its escrow (1, 2, 3, ... in ledger order), so a partner reading the events
-- API, Kafka or its webhooks can order them and see a gap. The mirror numbers them from ledger order
-- alone, so a rebuild from block 0 gives every event the same number. Rows mirrored before this column
-- existed are numbered here the same way, and their outbox messages carry the number too.
ALTER TABLE transitions ADD COLUMN sequence integer;
UPDATE transitions t SET sequence = n.sequence
FROM (
  SELECT id, row_number() OVER (PARTITION BY escrow_id ORDER BY block_number, tx_index, event_index)
    AS sequence
  FROM transitions) n
WHERE n.id = t.id;
ALTER TABLE transitions ALTER COLUMN sequence SET NOT NULL;
ALTER TABLE transitions ADD CONSTRAINT transitions_sequence_unique UNIQUE (escrow_id, sequence);
UPDATE outbox o SET payload = jsonb_set(o.payload, '{sequence}', to_jsonb(t.sequence))
FROM transitions t
WHERE o.event_id = t.tx_id || ':' || t.event_index AND NOT o.payload ? 'sequence';

-- The events API lists events in ledger order (transitions_block_idx) and filters them by time.
CREATE INDEX transitions_tx_time_idx ON transitions (tx_time);

-- The gateway's events API reads the events of its org's projection (never writes them); its
-- redelivery re-queues events of its marketplace's own subscriptions from the outbox, for the
-- notifier to sign and send as it sends every delivery.
GRANT SELECT ON transitions, outbox TO escrow_gateway;
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO escrow_gateway;
GRANT USAGE ON SEQUENCE webhook_deliveries_id_seq TO escrow_gateway;

-- Down Migration
REVOKE USAGE ON SEQUENCE webhook_deliveries_id_seq FROM escrow_gateway;
REVOKE SELECT, INSERT, UPDATE ON webhook_deliveries FROM escrow_gateway;
GRANT SELECT (subscription_id, status), UPDATE (status, next_attempt_at, last_error, updated_at)
  ON webhook_deliveries TO escrow_gateway;
REVOKE SELECT ON transitions, outbox FROM escrow_gateway;
DROP INDEX transitions_tx_time_idx;
UPDATE outbox SET payload = payload - 'sequence';
ALTER TABLE transitions DROP CONSTRAINT transitions_sequence_unique;
ALTER TABLE transitions DROP COLUMN sequence;
