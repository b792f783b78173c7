// Due escrows from the projection: DELIVERED past the inspection window (anyone may release),
// CREATED past fund-by (anyone may cancel), PROPOSED past accept-by (anyone may expire it) and
// SHIPPED past deliver-by (anyone may apply the channel's rule for a missed delivery).
// Served by escrows_state_idx (state first), escrows_proposed_accept_by_idx and
// escrows_shipped_deliver_by_idx.
import type { Pool } from 'pg';
import type { DeadlineAction, DeadlineStore, DueEscrow } from './deadlinePorts';

interface DueRow {
  escrow_id: string;
  action: DeadlineAction;
  buyer_marketplace: string;
  seller_marketplace: string;
  deadline: Date;
}

export class PgDeadlineStore implements DeadlineStore {
  constructor(private readonly pool: Pool) {}

  async dueEscrows(now: Date, limit: number): Promise<DueEscrow[]> {
    const { rows } = await this.pool.query<DueRow>(
      `SELECT escrow_id, action, buyer_marketplace, seller_marketplace, deadline FROM (
         SELECT escrow_id, 'release' AS action, buyer_marketplace, seller_marketplace, inspection_ends_at AS deadline
           FROM escrows WHERE state = 'DELIVERED' AND inspection_ends_at <= $1
         UNION ALL
         SELECT escrow_id, 'cancel', buyer_marketplace, seller_marketplace, fund_by
           FROM escrows WHERE state = 'CREATED' AND fund_by < $1
         UNION ALL
         SELECT escrow_id, 'expire', buyer_marketplace, seller_marketplace, accept_by
           FROM escrows WHERE state = 'PROPOSED' AND accept_by < $1
         UNION ALL
         SELECT escrow_id, 'deliveryOverdue', buyer_marketplace, seller_marketplace, deliver_by
           FROM escrows WHERE state = 'SHIPPED' AND deliver_by < $1
       ) AS due
       ORDER BY deadline, escrow_id
       LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({
      escrowId: row.escrow_id,
      action: row.action,
      buyerMarketplace: row.buyer_marketplace,
      sellerMarketplace: row.seller_marketplace,
      deadline: row.deadline,
    }));
  }
}
