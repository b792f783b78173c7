// Compares two projections (the live one and a rebuilt one, in two schemas) through block `through`:
// for each table, the rows one has and the other lacks, on the ledger-derived columns (not ids or
// the time the mirror wrote a row). Escrows changed after `through` in either are left out.
import type { Pool } from 'pg';
import { quoteIdentifier } from '../store/pgPool';

const COLUMNS: Record<string, { columns: string; upTo: string }> = {
  escrows: {
    columns:
      'escrow_id, state, buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id, currency, amount, ' +
      'funded_amount, buyer_refund, seller_payout, fee, fee_bps, fund_by, ship_by, inspection_period_seconds, ' +
      'inspection_ends_at, items, item_text, record, version, last_tx_id, last_block, created_at, updated_at',
    upTo: 'last_block',
  },
  transitions: {
    columns:
      'escrow_id, block_number, tx_id, tx_index, event_index, event_name, state, tx_time, payload, sequence',
    upTo: 'block_number',
  },
  reviews: { columns: '*', upTo: 'block_number' },
  outbox: { columns: 'event_id, event_type, topic, key, payload, block_number', upTo: 'block_number' },
};

export async function projectionDifferences(
  pool: Pool,
  left: string,
  right: string,
  through: bigint,
): Promise<Record<string, { onlyLeft: number; onlyRight: number; rows: number }>> {
  const result: Record<string, { onlyLeft: number; onlyRight: number; rows: number }> = {};
  const [l, r] = [quoteIdentifier(left), quoteIdentifier(right)];
  // An escrow that moved after `through` on either side cannot be compared at `through`.
  const changedLater = `escrow_id NOT IN (SELECT escrow_id FROM ${l}.escrows WHERE last_block > $1
    UNION SELECT escrow_id FROM ${r}.escrows WHERE last_block > $1)`;
  for (const [table, { columns, upTo }] of Object.entries(COLUMNS)) {
    const keyColumn = table === 'outbox' ? 'key' : 'escrow_id';
    const filter = `${upTo} <= $1 AND ${changedLater.replace('escrow_id NOT IN', `${keyColumn} NOT IN`)}`;
    const side = (a: string, b: string) =>
      `SELECT count(*)::int AS n FROM (SELECT ${columns} FROM ${a}.${table} WHERE ${filter}
        EXCEPT ALL SELECT ${columns} FROM ${b}.${table} WHERE ${filter}) d`;
    const count = async (sql: string) => (await pool.query<{ n: number }>(sql, [through])).rows[0]?.n ?? -1;
    result[table] = {
      onlyLeft: await count(side(l, r)),
      onlyRight: await count(side(r, l)),
      rows: await count(`SELECT count(*)::int AS n FROM ${l}.${table} WHERE ${filter}`),
    };
  }
  return result;
}
