-- Up Migration
-- What each service's own database role may do here, table by table and nothing more. The roles
-- (escrow_<service>, LOGIN, with generated passwords) are made by the deployment before the
-- migrations run (the runner's postgres-databases task); the owner that runs the migrations keeps
-- every table. No default privileges are granted: a table a later migration adds is refused to
-- every service until that migration grants it.
DO $$
BEGIN
  -- The schema the files run in: public, or a scratch copy (a rebuild check, a test suite).
  EXECUTE format(
    'GRANT USAGE ON SCHEMA %I TO escrow_gateway, escrow_mirror, escrow_relay, escrow_notifier, '
      'escrow_keeper, escrow_reconcile',
    current_schema());
END $$;

-- The mirror writes the projection, the outbox and its checkpoint in one transaction per block;
-- TRUNCATE empties the projection for a rebuild. It never touches the webhooks.
GRANT SELECT, INSERT, UPDATE, TRUNCATE ON escrows, reputation TO escrow_mirror;
GRANT SELECT, INSERT, TRUNCATE ON transitions, reviews, quarantine TO escrow_mirror;
GRANT SELECT, INSERT ON outbox TO escrow_mirror;
GRANT SELECT, INSERT, UPDATE ON checkpoint, mirror_progress TO escrow_mirror;
GRANT USAGE ON SEQUENCE transitions_id_seq, outbox_id_seq, quarantine_id_seq TO escrow_mirror;

-- The relay reads the outbox and marks rows sent; it cannot write the projection.
GRANT SELECT, UPDATE (sent_at, attempts, last_error) ON outbox TO escrow_relay;

-- The notifier matches events to subscriptions by the escrow's two marketplaces, signs with the
-- sealed secrets, and keeps the delivery log; replay reads the outbox.
GRANT SELECT (escrow_id, buyer_marketplace, seller_marketplace) ON escrows TO escrow_notifier;
GRANT SELECT ON webhook_subscriptions, outbox TO escrow_notifier;
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO escrow_notifier;
GRANT USAGE ON SEQUENCE webhook_deliveries_id_seq TO escrow_notifier;

-- The keeper picks due escrows: their ids, states, deadlines and marketplaces.
GRANT SELECT (escrow_id, state, buyer_marketplace, seller_marketplace, inspection_ends_at, fund_by)
  ON escrows TO escrow_keeper;

-- Reconcile compares the projection with the ledger: it reads, never writes.
GRANT SELECT ON escrows, transitions, outbox, quarantine, checkpoint TO escrow_reconcile;

-- The gateway searches escrows and manages its marketplaces' webhook subscriptions (deleting one
-- cancels its pending deliveries); it cannot write the projection.
GRANT SELECT ON escrows TO escrow_gateway;
GRANT SELECT, INSERT, UPDATE ON webhook_subscriptions TO escrow_gateway;
GRANT USAGE ON SEQUENCE webhook_subscriptions_id_seq TO escrow_gateway;
GRANT SELECT (subscription_id, status), UPDATE (status, next_attempt_at, last_error, updated_at)
  ON webhook_deliveries TO escrow_gateway;

-- Readiness: the daemons downstream of the mirror, and the gateway, read whether it advances.
GRANT SELECT ON checkpoint, mirror_progress
  TO escrow_gateway, escrow_relay, escrow_notifier, escrow_keeper, escrow_reconcile;

-- Down Migration
DO $$
BEGIN
  EXECUTE format(
    'REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM escrow_gateway, escrow_mirror, escrow_relay, '
      'escrow_notifier, escrow_keeper, escrow_reconcile; '
    'REVOKE ALL ON ALL SEQUENCES IN SCHEMA %1$I FROM escrow_gateway, escrow_mirror, escrow_relay, '
      'escrow_notifier, escrow_keeper, escrow_reconcile; '
    'REVOKE USAGE ON SCHEMA %1$I FROM escrow_gateway, escrow_mirror, escrow_relay, escrow_notifier, '
      'escrow_keeper, escrow_reconcile',
    current_schema());
END $$;
