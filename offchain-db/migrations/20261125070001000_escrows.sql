-- Up Migration
-- The projection of each escrow's newest ledger record. Amounts are numeric minor units (at most 18
-- digits on the ledger), never floats; `record` keeps the ledger JSON as it was written.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE TABLE escrows (
  escrow_id                 text PRIMARY KEY,
  state                     text NOT NULL,
  buyer_marketplace         text NOT NULL,
  buyer_user_id             text NOT NULL,
  seller_marketplace        text NOT NULL,
  seller_user_id            text NOT NULL,
  currency                  char(3) NOT NULL,
  amount                    numeric(20, 0) NOT NULL CHECK (amount >= 0),
  funded_amount             numeric(20, 0) NOT NULL CHECK (funded_amount >= 0),
  buyer_refund              numeric(20, 0) NOT NULL CHECK (buyer_refund >= 0),
  seller_payout             numeric(20, 0) NOT NULL CHECK (seller_payout >= 0),
  fee                       numeric(20, 0) NOT NULL CHECK (fee >= 0),
  fee_bps                   integer NOT NULL,
  fund_by                   timestamptz NOT NULL,
  ship_by                   timestamptz NOT NULL,
  inspection_period_seconds integer NOT NULL,
  inspection_ends_at        timestamptz,
  items                     jsonb NOT NULL,
  item_text                 text NOT NULL,
  item_search               tsvector GENERATED ALWAYS AS (to_tsvector('simple', item_text)) STORED,
  record                    jsonb NOT NULL,
  version                   integer NOT NULL,
  last_tx_id                text NOT NULL,
  last_block                bigint NOT NULL,
  created_at                timestamptz NOT NULL,
  updated_at                timestamptz NOT NULL
);

-- Every search is (filter, then a stable sort on a time and the id), so each index ends with escrow_id
-- for keyset (cursor) pagination.
CREATE INDEX escrows_buyer_idx ON escrows (buyer_marketplace, buyer_user_id, created_at, escrow_id);
CREATE INDEX escrows_seller_idx ON escrows (seller_marketplace, seller_user_id, created_at, escrow_id);
CREATE INDEX escrows_buyer_marketplace_idx ON escrows (buyer_marketplace, created_at, escrow_id);
CREATE INDEX escrows_seller_marketplace_idx ON escrows (seller_marketplace, created_at, escrow_id);
CREATE INDEX escrows_state_idx ON escrows (state, created_at, escrow_id);
CREATE INDEX escrows_currency_amount_idx ON escrows (currency, amount, escrow_id);
CREATE INDEX escrows_amount_idx ON escrows (amount, escrow_id);
CREATE INDEX escrows_created_idx ON escrows (created_at, escrow_id);
CREATE INDEX escrows_updated_idx ON escrows (updated_at, escrow_id);
CREATE INDEX escrows_item_trgm_idx ON escrows USING gin (item_text public.gin_trgm_ops);
CREATE INDEX escrows_item_search_idx ON escrows USING gin (item_search);

-- Down Migration
DROP TABLE escrows;
