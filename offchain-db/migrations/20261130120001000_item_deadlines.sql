-- Up Migration
-- The item lifecycles of an escrow moving per item, projected from its stored record, so the keeper
-- finds items past their inspection window or return deadline. A generated column: the mirror writes
-- the record alone, rows mirrored earlier get it here, and the keeper's role reads this column rather
-- than the whole record. Null while the escrow moves as a whole.
-- (A record's `"itemLifecycles": null` is JSON null, which the column turns into SQL NULL.)
ALTER TABLE escrows ADD COLUMN item_lifecycles jsonb
  GENERATED ALWAYS AS (NULLIF(record -> 'itemLifecycles', 'null'::jsonb)) STORED;
-- Only open escrows moving per item can have an item due.
CREATE INDEX escrows_open_items_idx ON escrows (escrow_id)
  WHERE item_lifecycles IS NOT NULL AND state IN ('FUNDED', 'SHIPPED', 'DELIVERED', 'DISPUTED');
GRANT SELECT (item_lifecycles) ON escrows TO escrow_keeper;

-- Down Migration
REVOKE SELECT (item_lifecycles) ON escrows FROM escrow_keeper;
DROP INDEX escrows_open_items_idx;
ALTER TABLE escrows DROP COLUMN item_lifecycles;
