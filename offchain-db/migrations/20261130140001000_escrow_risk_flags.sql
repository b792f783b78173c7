-- Up Migration
-- Oversight's risk flags on an escrow (chaincode riskFlags.ts), projected from its stored record:
-- `risk_flags` every flag raised and cleared, `held` whether an uncleared `hold` is among them. Both
-- generated, so the mirror writes the record alone and rows mirrored earlier get them here. The
-- keeper leaves held escrows' releases alone; the gateway's search filters on `held`.
ALTER TABLE escrows ADD COLUMN risk_flags jsonb
  GENERATED ALWAYS AS (COALESCE(record -> 'riskFlags', '[]'::jsonb)) STORED;
ALTER TABLE escrows ADD COLUMN held boolean
  GENERATED ALWAYS AS (
    COALESCE(jsonb_path_exists(record, '$.riskFlags[*] ? (@.clearedAt == null && @.action == "hold")'), false)
  ) STORED;
-- Held escrows are few: a partial index finds them for `?held=true`.
CREATE INDEX escrows_held_idx ON escrows (escrow_id) WHERE held;
GRANT SELECT (held) ON escrows TO escrow_keeper;

-- Down Migration
REVOKE SELECT (held) ON escrows FROM escrow_keeper;
DROP INDEX escrows_held_idx;
ALTER TABLE escrows DROP COLUMN held;
ALTER TABLE escrows DROP COLUMN risk_flags;
