-- Up Migration
-- Partner webhook endpoints and the delivery log (filled by the notifier). Two secrets are valid
-- while a rotation is under way.
CREATE TABLE webhook_subscriptions (
  id                bigserial PRIMARY KEY,
  marketplace       text NOT NULL,
  url               text NOT NULL,
  event_types       text[] NOT NULL DEFAULT '{}',
  secret            text NOT NULL,
  previous_secret   text,
  secret_rotated_at timestamptz,
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_subscriptions_marketplace_idx ON webhook_subscriptions (marketplace) WHERE active;

CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  subscription_id  bigint NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  block_number     bigint NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'retrying', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  CONSTRAINT webhook_deliveries_unique UNIQUE (subscription_id, event_id)
);

CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
  WHERE status IN ('pending', 'retrying');

-- Down Migration
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
