// The PostgreSQL adapter of the risk service's store (schema `risk`, role escrow_risk): the
// consumer's checkpoint per partition, the aggregates' facts, decisions, the review queue and the
// pending holds. One transaction per message; see riskStore.ts.
import type { Pool, PoolClient } from 'pg';
import type { Outcome } from '../engine/decide';
import { currencyCodeOf, minorUnitsOf, type Party, type RiskEvent } from '../engine/riskEvent';
import type { Fact } from '../aggregates/facts';
import type { FactQuery } from '../aggregates/factView';
import type {
  Applied,
  HoldQueue,
  MessagePosition,
  PendingHold,
  RiskStore,
  RiskTransaction,
} from './riskStore';

const SUBJECT_COLUMN = { buyer: 'buyer', seller: 'seller', buyerMarketplace: 'buyer_marketplace' } as const;

/** The WHERE clause of a fact query and its parameters. */
export function factFilter(query: FactQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [query.kind, query.key, new Date(query.until)];
  const clauses = [`kind = $1`, `${SUBJECT_COLUMN[query.subject]} = $2`, `at <= $3`];
  if (query.since !== undefined) {
    params.push(new Date(query.since));
    clauses.push(`at >= $${String(params.length)}`);
  }
  if (query.excludeEscrowId !== undefined) {
    params.push(query.excludeEscrowId);
    clauses.push(`escrow_id <> $${String(params.length)}`);
  }
  if (query.lostOnly === true) clauses.push('lost');
  return { where: clauses.join(' AND '), params };
}

class PgRiskTransaction implements RiskTransaction {
  constructor(private readonly client: PoolClient) {}

  async partiesOf(escrowId: string): Promise<{ buyer: Party; seller: Party } | undefined> {
    const { rows } = await this.client.query<{
      buyer_marketplace: string;
      buyer_user_id: string;
      seller_marketplace: string;
      seller_user_id: string;
    }>(
      `SELECT buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id
         FROM public.escrows WHERE escrow_id = $1`,
      [escrowId],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      buyer: { marketplace: row.buyer_marketplace, userId: row.buyer_user_id },
      seller: { marketplace: row.seller_marketplace, userId: row.seller_user_id },
    };
  }

  async addFacts(facts: readonly Fact[]): Promise<void> {
    for (const fact of facts)
      await this.client.query(
        `INSERT INTO facts (event_id, kind, escrow_id, buyer, seller, buyer_marketplace, seller_marketplace, amount, lost, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [
          fact.eventId,
          fact.kind,
          fact.escrowId,
          fact.buyer,
          fact.seller,
          fact.buyerMarketplace,
          fact.sellerMarketplace,
          String(fact.amount),
          fact.lost,
          new Date(fact.at),
        ],
      );
  }

  async count(query: FactQuery): Promise<number> {
    const { where, params } = factFilter(query);
    const { rows } = await this.client.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM facts WHERE ${where}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async median(query: FactQuery): Promise<number | undefined> {
    const { where, params } = factFilter(query);
    const { rows } = await this.client.query<{ median: string | null }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount)::text AS median FROM facts WHERE ${where}`,
      params,
    );
    const median = rows[0]?.median;
    return median === null || median === undefined ? undefined : Number(median);
  }

  async record(event: RiskEvent, outcome: Outcome): Promise<void> {
    const { decision, shadowHits } = outcome;
    const rows = [
      {
        rule: decision.rule?.name ?? null,
        action: decision.action,
        severity: decision.severity ?? null,
        shadow: false,
      },
      ...shadowHits.map((rule) => ({
        rule: rule.name,
        action: rule.action,
        severity: rule.severity,
        shadow: true,
      })),
    ];
    for (const row of rows)
      await this.client.query(
        `INSERT INTO decisions (event_id, escrow_id, event_type, rule, action, severity, shadow, event_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          event.eventId,
          event.escrowId,
          event.eventType,
          row.rule,
          row.action,
          row.severity,
          row.shadow,
          new Date(event.at),
        ],
      );
    const rule = decision.rule;
    if (rule === undefined) return;
    if (decision.action === 'review')
      await this.client.query(
        `INSERT INTO review_queue (event_id, escrow_id, rule, reason_code, severity)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [event.eventId, event.escrowId, rule.name, rule.reasonCode, rule.severity],
      );
    if (decision.action === 'hold')
      await this.client.query(
        `INSERT INTO holds (escrow_id, rule, reason_code, severity, event_id, buyer_marketplace, seller_marketplace,
                            amount, currency)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          event.escrowId,
          rule.name,
          rule.reasonCode,
          rule.severity,
          event.eventId,
          event.buyer.marketplace,
          event.seller.marketplace,
          minorUnitsOf(event.amount),
          currencyCodeOf(event.currency),
        ],
      );
  }
}

export class PgRiskStore implements RiskStore, HoldQueue {
  constructor(private readonly pool: Pool) {}

  async applyMessage(
    position: MessagePosition,
    work: (tx: RiskTransaction) => Promise<void>,
  ): Promise<Applied> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO consumer_checkpoint (group_id, topic, partition, last_offset) VALUES ($1, $2, $3, -1)
         ON CONFLICT DO NOTHING`,
        [position.groupId, position.topic, position.partition],
      );
      // Compare-and-set: only the first transaction to move the partition past this offset goes on.
      const advanced = await client.query(
        `UPDATE consumer_checkpoint SET last_offset = $4, updated_at = now()
          WHERE group_id = $1 AND topic = $2 AND partition = $3 AND last_offset < $4`,
        [position.groupId, position.topic, position.partition, position.offset.toString()],
      );
      if (advanced.rowCount !== 1) {
        await client.query('ROLLBACK');
        return 'duplicate';
      }
      await work(new PgRiskTransaction(client));
      await client.query('COMMIT');
      return 'applied';
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async claimDue(limit: number, leaseMs: number): Promise<PendingHold[]> {
    const { rows } = await this.pool.query<{
      escrow_id: string;
      rule: string;
      reason_code: string;
      severity: PendingHold['severity'];
      buyer_marketplace: string;
      seller_marketplace: string;
      amount: string | null;
      currency: string | null;
      attempts: number;
    }>(
      `UPDATE holds SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
        WHERE (escrow_id, rule) IN (
          SELECT escrow_id, rule FROM holds WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING escrow_id, rule, reason_code, severity, buyer_marketplace, seller_marketplace,
                  amount::text AS amount, currency, attempts`,
      [limit, leaseMs],
    );
    return rows.map((row) => ({
      escrowId: row.escrow_id,
      rule: row.rule,
      reasonCode: row.reason_code,
      severity: row.severity,
      buyerMarketplace: row.buyer_marketplace,
      sellerMarketplace: row.seller_marketplace,
      amount: row.amount ?? undefined,
      currency: row.currency ?? undefined,
      attempts: row.attempts,
    }));
  }

  async markRaised(hold: PendingHold, txId: string | undefined): Promise<void> {
    await this.pool.query(
      `UPDATE holds SET status = 'raised', tx_id = $3, attempts = attempts + 1, last_error = NULL, updated_at = now()
        WHERE escrow_id = $1 AND rule = $2`,
      [hold.escrowId, hold.rule, txId ?? null],
    );
  }

  async markRefused(hold: PendingHold, code: string, detail: string): Promise<void> {
    await this.pool.query(
      `UPDATE holds SET status = 'refused', refusal_code = $3, last_error = $4, attempts = attempts + 1, updated_at = now()
        WHERE escrow_id = $1 AND rule = $2`,
      [hold.escrowId, hold.rule, code, detail.slice(0, 2000)],
    );
  }

  async retryLater(hold: PendingHold, delayMs: number, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE holds SET attempts = attempts + 1, last_error = $4, updated_at = now(),
              next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE escrow_id = $1 AND rule = $2`,
      [hold.escrowId, hold.rule, delayMs, error.slice(0, 2000)],
    );
  }
}
