// Due escrows from the projection: DELIVERED past the inspection window (anyone may release),
// CREATED past fund-by (anyone may cancel), PROPOSED past accept-by (anyone may expire it) and
// SHIPPED past deliver-by (anyone may apply the channel's rule for a missed delivery); and of an
// escrow moving per item, each item DELIVERED past its own inspection window (releaseItem) and each
// return past the deadline it awaits (expireReturn: the seller's address by addressBy, the buyer's
// shipment back by shipBackBy, the seller's word by returnBy) and each item SHIPPED past its own
// deliver-by (expireItemDelivery: the channel's rule, as for the whole), read from the projected
// lifecycles.
// An escrow moving per item takes no escrow-level move (the chaincode refuses them). A held escrow
// (an active risk hold, the projected `held`) is left out of every release to the seller (the
// escrow's, an item's, and a return the buyer kept past shipBackBy): the chaincode would refuse them
// with ESCROW_HELD until the hold is cleared.
// Served by escrows_state_idx (state first), escrows_proposed_accept_by_idx,
// escrows_shipped_deliver_by_idx and escrows_open_items_idx.
import type { Pool } from 'pg';
import type { DeadlineAction, DeadlineStore, DueEscrow } from './deadlinePorts';

interface DueRow {
  escrow_id: string;
  action: DeadlineAction;
  item: number | null;
  buyer_marketplace: string;
  seller_marketplace: string;
  deadline: Date;
}

export class PgDeadlineStore implements DeadlineStore {
  constructor(private readonly pool: Pool) {}

  async dueEscrows(now: Date, limit: number): Promise<DueEscrow[]> {
    const { rows } = await this.pool.query<DueRow>(
      `WITH items AS (
         SELECT e.escrow_id, e.buyer_marketplace, e.seller_marketplace, (i.position - 1)::int AS item,
                i.lifecycle ->> 'state' AS item_state,
                CASE i.lifecycle ->> 'state'
                  WHEN 'DELIVERED' THEN i.lifecycle #>> '{delivery,inspectionEndsAt}'
                  WHEN 'REJECTED' THEN COALESCE(i.lifecycle #>> '{returnAddress,shipBackBy}',
                                                i.lifecycle #>> '{rejection,addressBy}')
                  WHEN 'RETURN_SHIPPED' THEN i.lifecycle #>> '{returnShipment,returnBy}'
                  WHEN 'SHIPPED' THEN i.lifecycle ->> 'deliverBy'
                END::timestamptz AS deadline,
                e.held, i.lifecycle #>> '{returnAddress,shipBackBy}' IS NOT NULL AS releases_on_expiry
           FROM escrows e
           CROSS JOIN LATERAL jsonb_array_elements(e.item_lifecycles) WITH ORDINALITY AS i(lifecycle, position)
          WHERE e.item_lifecycles IS NOT NULL AND e.state IN ('FUNDED', 'SHIPPED', 'DELIVERED', 'DISPUTED')
       )
       SELECT escrow_id, action, item, buyer_marketplace, seller_marketplace, deadline FROM (
         SELECT escrow_id, 'release' AS action, NULL::int AS item, buyer_marketplace, seller_marketplace,
                inspection_ends_at AS deadline
           FROM escrows WHERE state = 'DELIVERED' AND inspection_ends_at <= $1 AND item_lifecycles IS NULL
                AND NOT held
         UNION ALL
         SELECT escrow_id, 'cancel', NULL, buyer_marketplace, seller_marketplace, fund_by
           FROM escrows WHERE state = 'CREATED' AND fund_by < $1
         UNION ALL
         SELECT escrow_id, 'expire', NULL, buyer_marketplace, seller_marketplace, accept_by
           FROM escrows WHERE state = 'PROPOSED' AND accept_by < $1
         UNION ALL
         SELECT escrow_id, 'deliveryOverdue', NULL, buyer_marketplace, seller_marketplace, deliver_by
           FROM escrows WHERE state = 'SHIPPED' AND deliver_by < $1 AND item_lifecycles IS NULL
         UNION ALL
         SELECT escrow_id, 'releaseItem', item, buyer_marketplace, seller_marketplace, deadline
           FROM items WHERE item_state = 'DELIVERED' AND deadline <= $1 AND NOT held
         UNION ALL
         SELECT escrow_id, 'expireReturn', item, buyer_marketplace, seller_marketplace, deadline
           FROM items WHERE item_state IN ('REJECTED', 'RETURN_SHIPPED') AND deadline < $1
                AND NOT (held AND item_state = 'REJECTED' AND releases_on_expiry)
         UNION ALL
         SELECT escrow_id, 'expireItemDelivery', item, buyer_marketplace, seller_marketplace, deadline
           FROM items WHERE item_state = 'SHIPPED' AND deadline < $1
       ) AS due
       ORDER BY deadline, escrow_id, item
       LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({
      escrowId: row.escrow_id,
      action: row.action,
      ...(row.item === null ? {} : { item: row.item }),
      buyerMarketplace: row.buyer_marketplace,
      sellerMarketplace: row.seller_marketplace,
      deadline: row.deadline,
    }));
  }
}
