-- Up Migration
-- Who submitted each transaction the gateway answered with (201/200, or 202 while its commit is
-- pending), so GET /v1/transactions/{txId} answers only the submitter, its marketplace and auditors.
CREATE TABLE IF NOT EXISTS submitted_transactions (
  transaction_id text PRIMARY KEY,
  client_id      text NOT NULL,
  user_id        text NOT NULL,
  organization   text NOT NULL,
  submitted_at   timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE submitted_transactions;
