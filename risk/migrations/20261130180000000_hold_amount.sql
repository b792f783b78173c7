-- Up Migration
-- What a hold keeps of its escrow's money, from the event that decided it, so the security event of
-- the hold (risk.hold) can name the amount (minor units) and currency. NULL for holds queued before.
ALTER TABLE holds
  ADD COLUMN amount   numeric(20, 0) CHECK (amount >= 0),
  ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$');

-- Down Migration
ALTER TABLE holds DROP COLUMN currency, DROP COLUMN amount;
