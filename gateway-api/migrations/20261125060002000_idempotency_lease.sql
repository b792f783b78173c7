-- Up Migration
-- A key left in progress by a crashed request is leased, not held for its whole 24 h life: once
-- lease_expires_at passes, a retry with the same key and body takes the claim over. `attempt` fences
-- the claim, so a request that outlived its lease cannot overwrite its successor's outcome.
ALTER TABLE idempotency_keys
  ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz NOT NULL DEFAULT (now() + interval '2 minutes'),
  ADD COLUMN IF NOT EXISTS attempt integer NOT NULL DEFAULT 1;

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN attempt, DROP COLUMN lease_expires_at;
