-- Up Migration
-- The gateway's own tables: enrolled Fabric identities (sealed) and idempotency records.
-- They live in the gateway's own schema (the one the files run in: `gateway`, or one per org's
-- gateway, e.g. `gateway_marketa`), apart from the ledger projection the mirror owns. IF NOT EXISTS
-- throughout: a database set up before node-pg-migrate took over already has them.

CREATE TABLE IF NOT EXISTS fabric_identities (
  identity_key text PRIMARY KEY,
  msp_id       text NOT NULL,
  sealed       jsonb NOT NULL,
  enrolled_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope         text NOT NULL,
  idem_key      text NOT NULL,
  request_hash  text NOT NULL,
  status        integer,
  response_body jsonb,
  content_type  text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (scope, idem_key)
);

CREATE INDEX IF NOT EXISTS idempotency_keys_expires_at ON idempotency_keys (expires_at);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TABLE fabric_identities;
