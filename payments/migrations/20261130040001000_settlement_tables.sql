-- Up Migration
-- A marketplace's payment tables, in its own schema (`payments_<org>`), for its payments role alone.
-- payee_accounts: where the marketplace pays each of its sellers (the provider's connected account),
-- registered by the marketplace's operator; the settlement worker only reads it.
CREATE TABLE payee_accounts (
  user_id       text PRIMARY KEY CHECK (length(user_id) BETWEEN 1 AND 128),
  account_id    text NOT NULL CHECK (length(account_id) BETWEEN 1 AND 255),
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- parked_settlements: escrows whose settlement failed and waits for its next attempt (backoff), so a
-- failure never holds up the Kafka partition and is never dropped; a row leaves once the ledger
-- records every movement the escrow owes.
CREATE TABLE parked_settlements (
  escrow_id       text PRIMARY KEY,
  attempts        integer NOT NULL CHECK (attempts >= 1),
  next_attempt_at timestamptz NOT NULL,
  error_code      text NOT NULL,
  error_detail    text NOT NULL,
  parked_at       timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parked_settlements_due_idx ON parked_settlements (next_attempt_at, escrow_id);

-- The role the schema names (`payments_marketa` → escrow_payments_marketa), made by the deployment
-- before the migrations run (the runner's postgres-databases task).
DO $$
BEGIN
  EXECUTE format(
    'GRANT USAGE ON SCHEMA %1$I TO %2$I; '
    'GRANT SELECT, INSERT, UPDATE, DELETE ON %1$I.payee_accounts TO %2$I; '
    'GRANT SELECT, INSERT, UPDATE, DELETE ON %1$I.parked_settlements TO %2$I',
    current_schema(), 'escrow_' || current_schema());
END $$;

-- Down Migration
DO $$
BEGIN
  EXECUTE format(
    'REVOKE ALL ON ALL TABLES IN SCHEMA %1$I FROM %2$I; REVOKE USAGE ON SCHEMA %1$I FROM %2$I',
    current_schema(), 'escrow_' || current_schema());
END $$;
DROP TABLE parked_settlements;
DROP TABLE payee_accounts;
