-- Up Migration
-- The gateway's own tables are for the gateway's role alone: no other service (the notifier above
-- all) may read the sealed Fabric identities. The role is made by the deployment before the
-- migrations run (the runner's postgres-databases task); the grants on the projection and webhook
-- tables the gateway uses are in offchain-db/migrations.
GRANT USAGE ON SCHEMA gateway TO escrow_gateway;
GRANT SELECT, INSERT, UPDATE ON gateway.fabric_identities TO escrow_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON gateway.idempotency_keys TO escrow_gateway;
GRANT SELECT, INSERT ON gateway.submitted_transactions TO escrow_gateway;

-- Down Migration
REVOKE ALL ON ALL TABLES IN SCHEMA gateway FROM escrow_gateway;
REVOKE USAGE ON SCHEMA gateway FROM escrow_gateway;
