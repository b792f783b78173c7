// The auditor's projection's history as risk events, in ledger order: each transition row (its
// payload is the chaincode's full event payload) with the escrow's parties, read in pages.
import { eventIdOf } from '@p2p-escrow/offchain-db';
import type { Pool } from 'pg';
import { riskEventOf, type RiskEvent } from '../engine/riskEvent';

interface TransitionRow {
  id: bigint;
  tx_id: string;
  event_index: number;
  event_name: string;
  escrow_id: string;
  payload: Record<string, unknown>;
  buyer_marketplace: string;
  buyer_user_id: string;
  seller_marketplace: string;
  seller_user_id: string;
}

export async function* projectionHistory(pool: Pool, pageSize = 1000): AsyncGenerator<RiskEvent> {
  let after = -1n;
  for (;;) {
    const { rows } = await pool.query<TransitionRow>(
      `SELECT t.id, t.tx_id, t.event_index, t.event_name, t.escrow_id, t.payload,
              e.buyer_marketplace, e.buyer_user_id, e.seller_marketplace, e.seller_user_id
         FROM public.transitions t JOIN public.escrows e USING (escrow_id)
        WHERE t.id > $1 ORDER BY t.id LIMIT $2`,
      [after.toString(), pageSize],
    );
    for (const row of rows) {
      yield riskEventOf(
        {
          eventId: eventIdOf(row.tx_id, row.event_index),
          eventType: row.event_name,
          escrowId: row.escrow_id,
        },
        row.payload,
        {
          buyer: { marketplace: row.buyer_marketplace, userId: row.buyer_user_id },
          seller: { marketplace: row.seller_marketplace, userId: row.seller_user_id },
        },
      );
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageSize) return;
    after = last.id;
  }
}
