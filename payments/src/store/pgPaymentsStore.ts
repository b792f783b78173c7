// The PostgreSQL adapter of a marketplace's payment tables (payments/migrations, in its own schema
// `payments_<org>`, reached as its own role): the sellers' payee accounts and the parked settlements.
import type { Pool } from 'pg';
import type { ParkedSettlement, ParkedSettlements, PayeeAccounts } from '../settlement/settlementPorts';

export interface PayeeAccount {
  readonly userId: string;
  readonly accountId: string;
  readonly registeredAt: Date;
}

export class PgPayeeAccounts implements PayeeAccounts {
  constructor(private readonly pool: Pool) {}

  async accountOf(userId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ account_id: string }>(
      'SELECT account_id FROM payee_accounts WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.account_id;
  }

  /** Registers (or replaces) where `userId` is paid; the caller has validated both. */
  async register(userId: string, accountId: string): Promise<PayeeAccount> {
    const { rows } = await this.pool.query<{ registered_at: Date }>(
      `INSERT INTO payee_accounts (user_id, account_id) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET account_id = EXCLUDED.account_id, updated_at = now()
       RETURNING registered_at`,
      [userId, accountId],
    );
    return { userId, accountId, registeredAt: (rows[0] as { registered_at: Date }).registered_at };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async list(): Promise<PayeeAccount[]> {
    const { rows } = await this.pool.query<{ user_id: string; account_id: string; registered_at: Date }>(
      'SELECT user_id, account_id, registered_at FROM payee_accounts ORDER BY user_id',
    );
    return rows.map((row) => ({
      userId: row.user_id,
      accountId: row.account_id,
      registeredAt: row.registered_at,
    }));
  }
}

export class PgParkedSettlements implements ParkedSettlements {
  constructor(private readonly pool: Pool) {}

  async park(settlement: ParkedSettlement): Promise<void> {
    await this.pool.query(
      `INSERT INTO parked_settlements (escrow_id, attempts, next_attempt_at, error_code, error_detail)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (escrow_id) DO UPDATE SET attempts = EXCLUDED.attempts,
         next_attempt_at = EXCLUDED.next_attempt_at, error_code = EXCLUDED.error_code,
         error_detail = EXCLUDED.error_detail, updated_at = now()`,
      [
        settlement.escrowId,
        settlement.attempts,
        settlement.nextAttemptAt,
        settlement.errorCode,
        settlement.errorDetail.slice(0, 2000),
      ],
    );
  }

  async attemptsOf(escrowId: string): Promise<number> {
    const { rows } = await this.pool.query<{ attempts: number }>(
      'SELECT attempts FROM parked_settlements WHERE escrow_id = $1',
      [escrowId],
    );
    return rows[0]?.attempts ?? 0;
  }

  async unpark(escrowId: string): Promise<void> {
    await this.pool.query('DELETE FROM parked_settlements WHERE escrow_id = $1', [escrowId]);
  }

  async due(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ escrow_id: string }>(
      `SELECT escrow_id FROM parked_settlements WHERE next_attempt_at <= $1
       ORDER BY next_attempt_at, escrow_id LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => row.escrow_id);
  }

  async summary(): Promise<{ parked: number; oldestParkedAt: Date | undefined }> {
    const { rows } = await this.pool.query<{ parked: string; oldest: Date | null }>(
      'SELECT count(*)::text AS parked, min(parked_at) AS oldest FROM parked_settlements',
    );
    const row = rows[0];
    return { parked: Number(row?.parked ?? 0), oldestParkedAt: row?.oldest ?? undefined };
  }
}
