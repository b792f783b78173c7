-- Up Migration
-- The delivery deadline of a SHIPPED escrow, set at shipment; the keeper applies the channel's rule
-- to shipments past it. Null before shipment and on records written before delivery deadlines.
ALTER TABLE escrows ADD COLUMN deliver_by timestamptz;
UPDATE escrows SET deliver_by = (record->>'deliverBy')::timestamptz WHERE record->>'deliverBy' IS NOT NULL;
CREATE INDEX escrows_shipped_deliver_by_idx ON escrows (deliver_by, escrow_id) WHERE state = 'SHIPPED';
-- The keeper picks shipments past this deadline; its role reads escrows column by column.
GRANT SELECT (deliver_by) ON escrows TO escrow_keeper;

-- Down Migration
REVOKE SELECT (deliver_by) ON escrows FROM escrow_keeper;
DROP INDEX escrows_shipped_deliver_by_idx;
ALTER TABLE escrows DROP COLUMN deliver_by;
