-- Up Migration
-- The identity-verification gate on payouts, in each marketplace's own schema (`payments_<org>`).
-- party_verifications: the status of each of the marketplace's parties at its verification provider
-- (one row per party: the latest session). The gateway opens sessions (pending); the payments
-- service records the provider's signed events and the ledger attestation's transaction.
CREATE TABLE party_verifications (
  user_id          text PRIMARY KEY CHECK (length(user_id) BETWEEN 1 AND 128),
  verification_id  text NOT NULL UNIQUE CHECK (length(verification_id) BETWEEN 1 AND 255),
  status           text NOT NULL CHECK (status IN ('pending', 'requires_input', 'verified', 'rejected')),
  -- sha256 hex over (verification id, status, the marketplace's salt): what the ledger attests.
  status_hash      text CHECK (status_hash ~ '^[0-9a-f]{64}$'),
  -- The provider's time of the event that set the status; an older event changes nothing.
  status_at        timestamptz,
  attested_tx_id   text,
  started_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- verification_events: every provider event acted on, so a delivery repeated within the signature's
-- tolerance is answered as a duplicate and changes nothing.
CREATE TABLE verification_events (
  event_id     text PRIMARY KEY CHECK (length(event_id) BETWEEN 1 AND 255),
  user_id      text NOT NULL,
  status       text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);

-- pending_payouts: payouts the settlement worker holds back (reason SELLER_NOT_VERIFIED) while the
-- escrow itself is released; it pays each once its seller is verified, and the row leaves.
CREATE TABLE pending_payouts (
  escrow_id      text PRIMARY KEY,
  seller_id      text NOT NULL,
  reason         text NOT NULL,
  pending_since  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_payouts_seller_idx ON pending_payouts (seller_id);

-- The payments role (`escrow_payments_<org>`) keeps all three; the gateway of the same org
-- (`escrow_gateway_<org>`, when it exists) opens sessions and reads statuses and pending payouts.
DO $$
DECLARE
  payments_role text := 'escrow_' || current_schema();
  gateway_role text := 'escrow_gateway_' || substr(current_schema(), length('payments_') + 1);
BEGIN
  EXECUTE format(
    'GRANT SELECT, INSERT, UPDATE, DELETE ON %1$I.party_verifications, %1$I.verification_events, '
    '%1$I.pending_payouts TO %2$I',
    current_schema(), payments_role);
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = gateway_role) THEN
    EXECUTE format(
      'GRANT USAGE ON SCHEMA %1$I TO %2$I; '
      'GRANT SELECT, INSERT, UPDATE ON %1$I.party_verifications TO %2$I; '
      'GRANT SELECT ON %1$I.pending_payouts TO %2$I',
      current_schema(), gateway_role);
  END IF;
END $$;

-- Down Migration
DO $$
DECLARE
  gateway_role text := 'escrow_gateway_' || substr(current_schema(), length('payments_') + 1);
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = gateway_role) THEN
    EXECUTE format(
      'REVOKE ALL ON %1$I.party_verifications, %1$I.pending_payouts FROM %2$I; '
      'REVOKE USAGE ON SCHEMA %1$I FROM %2$I',
      current_schema(), gateway_role);
  END IF;
END $$;
DROP TABLE pending_payouts;
DROP TABLE verification_events;
DROP TABLE party_verifications;
