-- Up Migration
-- Until when a PROPOSED escrow may be accepted by its counterparty; the keeper expires proposals past
-- it. Null on records written before consent was required. Rows mirrored before this column existed
-- take it from their stored record.
ALTER TABLE escrows ADD COLUMN accept_by timestamptz;
UPDATE escrows SET accept_by = (record->>'acceptBy')::timestamptz WHERE record->>'acceptBy' IS NOT NULL;
CREATE INDEX escrows_proposed_accept_by_idx ON escrows (accept_by, escrow_id) WHERE state = 'PROPOSED';
-- The keeper picks proposals past this deadline; its role reads escrows column by column.
GRANT SELECT (accept_by) ON escrows TO escrow_keeper;

-- Down Migration
REVOKE SELECT (accept_by) ON escrows FROM escrow_keeper;
DROP INDEX escrows_proposed_accept_by_idx;
ALTER TABLE escrows DROP COLUMN accept_by;
