-- Up Migration
-- The risk service's tables, in its own schema (`risk`), for its role `escrow_risk` alone. Every row
-- an event adds is written in the one transaction that advances the consumer's checkpoint.

-- Per Kafka partition, the offset of the last message whose effects are written (compare-and-set).
CREATE TABLE consumer_checkpoint (
  group_id    text NOT NULL,
  topic       text NOT NULL,
  partition   integer NOT NULL CHECK (partition >= 0),
  last_offset bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, topic, partition)
);

-- The aggregates' facts: one per (event, kind), with the trade's parties, on ledger time.
CREATE TABLE facts (
  event_id           text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('created', 'dispute', 'refund', 'resolved')),
  escrow_id          text NOT NULL,
  buyer              text NOT NULL,
  seller             text NOT NULL,
  buyer_marketplace  text NOT NULL,
  seller_marketplace text NOT NULL,
  amount             numeric(20, 0) NOT NULL CHECK (amount >= 0),
  lost               boolean NOT NULL,
  at                 timestamptz NOT NULL,
  PRIMARY KEY (event_id, kind)
);
CREATE INDEX facts_buyer_idx ON facts (kind, buyer, at);
CREATE INDEX facts_seller_idx ON facts (kind, seller, at);
CREATE INDEX facts_marketplace_idx ON facts (kind, buyer_marketplace, at);

-- Every decision: the deciding rule (NULL: no rule matched, allowed by default) and each shadow rule
-- that matched. decided_at - event_at is the service's lag behind the ledger.
CREATE TABLE decisions (
  id         bigserial PRIMARY KEY,
  event_id   text NOT NULL,
  escrow_id  text NOT NULL,
  event_type text NOT NULL,
  rule       text,
  action     text NOT NULL CHECK (action IN ('allow', 'review', 'hold')),
  severity   text CHECK (severity IN ('low', 'medium', 'high')),
  shadow     boolean NOT NULL,
  event_at   timestamptz NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT decisions_event_rule_unique UNIQUE NULLS NOT DISTINCT (event_id, rule)
);
CREATE INDEX decisions_escrow_idx ON decisions (escrow_id, id);

-- Escrows a `review` rule sent to a person.
CREATE TABLE review_queue (
  id          bigserial PRIMARY KEY,
  event_id    text NOT NULL,
  escrow_id   text NOT NULL,
  rule        text NOT NULL,
  reason_code text NOT NULL,
  severity    text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT review_queue_event_rule_unique UNIQUE (event_id, rule)
);
CREATE INDEX review_queue_open_idx ON review_queue (created_at) WHERE status = 'open';

-- Holds to raise on the ledger (raiseRiskFlag), written with the decision, submitted afterwards until
-- the ledger has the flag: one per (escrow, rule), as on the ledger.
CREATE TABLE holds (
  escrow_id          text NOT NULL,
  rule               text NOT NULL,
  reason_code        text NOT NULL,
  severity           text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  event_id           text NOT NULL,
  buyer_marketplace  text NOT NULL,
  seller_marketplace text NOT NULL,
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'raised', 'refused')),
  attempts           integer NOT NULL DEFAULT 0,
  next_attempt_at    timestamptz NOT NULL DEFAULT now(),
  tx_id              text,
  refusal_code       text,
  last_error         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (escrow_id, rule)
);
CREATE INDEX holds_due_idx ON holds (next_attempt_at) WHERE status = 'pending';

-- The role the service signs in as: its own tables, and of the auditor's projection the escrows'
-- parties (events do not name them) and the transitions a backtest replays.
DO $$
BEGIN
  EXECUTE format(
    'GRANT USAGE ON SCHEMA %1$I TO escrow_risk; '
    'GRANT SELECT, INSERT, UPDATE ON %1$I.consumer_checkpoint, %1$I.holds TO escrow_risk; '
    'GRANT SELECT, INSERT ON %1$I.facts, %1$I.decisions, %1$I.review_queue TO escrow_risk; '
    'GRANT USAGE ON SEQUENCE %1$I.decisions_id_seq, %1$I.review_queue_id_seq TO escrow_risk',
    current_schema());
END $$;
GRANT USAGE ON SCHEMA public TO escrow_risk;
GRANT SELECT (escrow_id, buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id)
  ON public.escrows TO escrow_risk;
GRANT SELECT ON public.transitions TO escrow_risk;

-- Down Migration
REVOKE ALL ON public.transitions, public.escrows FROM escrow_risk;
DROP TABLE holds, review_queue, decisions, facts, consumer_checkpoint;
