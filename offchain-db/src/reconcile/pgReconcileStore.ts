// The PostgreSQL adapter of the reconciler's reads.
import type { Pool } from 'pg';
import type { Drift, ProjectedEscrow, ReconcileStore } from './reconcile';

export class PgReconcileStore implements ReconcileStore {
  constructor(private readonly pool: Pool) {}

  async checkpoint(channel: string): Promise<bigint> {
    const result = await this.pool.query<{ last_block: bigint }>(
      'SELECT last_block FROM checkpoint WHERE channel = $1',
      [channel],
    );
    return result.rows[0]?.last_block ?? -1n;
  }

  async escrows(): Promise<ProjectedEscrow[]> {
    const result = await this.pool.query<{
      escrow_id: string;
      state: string;
      currency: string;
      amount: string;
      funded_amount: string;
      buyer_refund: string;
      seller_payout: string;
      fee: string;
      last_tx_id: string;
      version: number;
      escrow_transitions: number;
    }>(
      `SELECT e.escrow_id, e.state, e.currency, e.amount::text, e.funded_amount::text, e.buyer_refund::text,
         e.seller_payout::text, e.fee::text, e.last_tx_id, e.version,
         (SELECT count(*)::int FROM transitions t
           WHERE t.escrow_id = e.escrow_id AND t.event_name <> 'ReviewPosted') AS escrow_transitions
       FROM escrows e ORDER BY e.escrow_id`,
    );
    return result.rows.map((row) => ({
      escrowId: row.escrow_id,
      state: row.state,
      currency: row.currency,
      amount: row.amount,
      fundedAmount: row.funded_amount,
      buyerRefund: row.buyer_refund,
      sellerPayout: row.seller_payout,
      fee: row.fee,
      lastTxId: row.last_tx_id,
      version: row.version,
      escrowTransitions: row.escrow_transitions,
    }));
  }

  async outboxMismatches(): Promise<string[]> {
    const result = await this.pool.query<{ problem: string }>(
      `SELECT 'transition ' || t.tx_id || ':' || t.event_index || ' has no outbox event' AS problem
         FROM transitions t LEFT JOIN outbox o ON o.event_id = t.tx_id || ':' || t.event_index
        WHERE o.id IS NULL
       UNION ALL
       SELECT 'outbox event ' || o.event_id || ' has no transition'
         FROM outbox o LEFT JOIN transitions t ON o.event_id = t.tx_id || ':' || t.event_index
        WHERE t.id IS NULL
       LIMIT 100`,
    );
    return result.rows.map((row) => row.problem);
  }

  async quarantined(): Promise<Drift[]> {
    const result = await this.pool.query<{ escrow_id: string; reason: string }>(
      `SELECT DISTINCT ON (escrow_id) escrow_id, reason
       FROM quarantine, unnest(escrow_ids) AS escrow_id ORDER BY escrow_id, block_number, id`,
    );
    return result.rows.map((row) => ({
      escrowId: row.escrow_id,
      field: 'quarantined',
      ledger: 'present',
      projection: row.reason,
    }));
  }
}
