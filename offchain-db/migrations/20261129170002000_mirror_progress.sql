-- Up Migration
-- What the mirror tells the other daemons (and the gateway's readiness) about its progress, one row
-- per channel: a heartbeat with the peer height it last saw, the oldest height it has not reached yet
-- and since when, and the block it is failing on with the error. Read by mirrorHealth().
CREATE TABLE mirror_progress (
  channel        text PRIMARY KEY,
  reported_at    timestamptz NOT NULL DEFAULT now(),
  peer_height    bigint,
  behind_height  bigint,
  behind_since   timestamptz,
  failing_block  bigint,
  failing_since  timestamptz,
  last_error     text,
  last_error_at  timestamptz
);

-- Down Migration
DROP TABLE mirror_progress;
