-- Up Migration
-- The mirror's lag over recent minutes (mirrorLagHistory) reads the transitions mirrored since a time:
-- an index on when each row was written keeps that a range scan however long the ledger grows.
CREATE INDEX transitions_mirrored_at_idx ON transitions (mirrored_at);

-- Down Migration
DROP INDEX transitions_mirrored_at_idx;
