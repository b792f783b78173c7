-- Up Migration
-- The gateway's own tables are for the gateway's role alone: no other service (the notifier above
-- all), and no other org's gateway, may read the sealed Fabric identities. The schema the files run
-- in names its role: `gateway` → escrow_gateway, `gateway_marketa` → escrow_gateway_marketa. The role
-- is made by the deployment before the migrations run (the runner's postgres-databases task); the
-- grants on the projection and webhook tables the gateways use are in offchain-db/migrations.
DO $$
BEGIN
  EXECUTE format(
    'GRANT USAGE ON SCHEMA %1$I TO %2$I; '
    'GRANT SELECT, INSERT, UPDATE ON %1$I.fabric_identities TO %2$I; '
    'GRANT SELECT, INSERT, UPDATE, DELETE ON %1$I.idempotency_keys TO %2$I; '
    'GRANT SELECT, INSERT ON %1$I.submitted_transactions TO %2$I',
    current_schema(), 'escrow_' || current_schema());
END $$;

-- Down Migration
DO $$
BEGIN
  EXECUTE format(
    'REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM %2$I; REVOKE USAGE ON SCHEMA %1$I FROM %2$I',
    current_schema(), 'escrow_' || current_schema());
END $$;
