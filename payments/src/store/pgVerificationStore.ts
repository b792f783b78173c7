// The PostgreSQL adapter of the verification gate's records, in the marketplace's payments schema
// (payments/migrations): its parties' verification statuses, the provider events acted on, and the
// payouts held for an unverified seller.
import { escapeIdentifier, type Pool } from 'pg';
import type {
  PartyVerification,
  PartyVerifications,
  PendingPayout,
  PendingPayouts,
  VerificationStatusChange,
} from '../verification/verificationPorts';

interface VerificationRow {
  user_id: string;
  verification_id: string;
  status: PartyVerification['status'];
  status_hash: string | null;
  status_at: Date | null;
  attested_tx_id: string | null;
  started_at: Date;
  updated_at: Date;
}

/**
 * A table of the payments schema: unqualified for the payments services (their connection's search
 * path is the schema), qualified for the gateway of the same marketplace, which reaches it by name.
 */
function tableOf(schema: string | undefined, table: string): string {
  return schema === undefined ? table : `${escapeIdentifier(schema)}.${table}`;
}

function verificationOf(row: VerificationRow): PartyVerification {
  return {
    userId: row.user_id,
    verificationId: row.verification_id,
    status: row.status,
    statusHash: row.status_hash ?? undefined,
    statusAt: row.status_at ?? undefined,
    attestedTxId: row.attested_tx_id ?? undefined,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
  };
}

export class PgPartyVerifications implements PartyVerifications {
  private readonly parties: string;
  private readonly events: string;

  constructor(
    private readonly pool: Pool,
    schema?: string,
  ) {
    this.parties = tableOf(schema, 'party_verifications');
    this.events = tableOf(schema, 'verification_events');
  }

  async find(userId: string): Promise<PartyVerification | undefined> {
    const { rows } = await this.pool.query<VerificationRow>(
      `SELECT * FROM ${this.parties} WHERE user_id = $1`,
      [userId],
    );
    const row = rows[0];
    return row === undefined ? undefined : verificationOf(row);
  }

  /** A new session for the party (the gateway's start): pending until the provider's event. */
  async start(userId: string, verificationId: string): Promise<PartyVerification> {
    const { rows } = await this.pool.query<VerificationRow>(
      `INSERT INTO ${this.parties} (user_id, verification_id, status) VALUES ($1, $2, 'pending')
       ON CONFLICT (user_id) DO UPDATE SET verification_id = EXCLUDED.verification_id, status = 'pending',
         status_hash = NULL, status_at = NULL, attested_tx_id = NULL, started_at = now(), updated_at = now()
       RETURNING *`,
      [userId, verificationId],
    );
    return verificationOf(rows[0] as VerificationRow);
  }

  async seen(eventId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM ${this.events} WHERE event_id = $1`, [eventId]);
    return (rowCount ?? 0) > 0;
  }

  async record(change: VerificationStatusChange): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO ${this.events} (event_id, user_id, status) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO NOTHING`,
        [change.eventId, change.userId, change.status],
      );
      if ((inserted.rowCount ?? 0) === 0) {
        await client.query('ROLLBACK');
        return false;
      }
      await client.query(
        `UPDATE ${this.parties} SET status = $3, status_hash = $4, status_at = $5, attested_tx_id = $6,
           updated_at = now()
         WHERE user_id = $1 AND verification_id = $2`,
        [
          change.userId,
          change.verificationId,
          change.status,
          change.statusHash,
          change.statusAt,
          change.attestedTxId,
        ],
      );
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async isVerified(userId: string): Promise<boolean> {
    return (await this.find(userId))?.status === 'verified';
  }
}

export class PgPendingPayouts implements PendingPayouts {
  private readonly pending: string;
  private readonly parties: string;

  constructor(
    private readonly pool: Pool,
    schema?: string,
  ) {
    this.pending = tableOf(schema, 'pending_payouts');
    this.parties = tableOf(schema, 'party_verifications');
  }

  async hold(escrowId: string, sellerId: string, reason: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.pending} (escrow_id, seller_id, reason) VALUES ($1, $2, $3)
       ON CONFLICT (escrow_id) DO UPDATE SET reason = EXCLUDED.reason`,
      [escrowId, sellerId, reason],
    );
  }

  async release(escrowId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.pending} WHERE escrow_id = $1`, [escrowId]);
  }

  async find(escrowId: string): Promise<PendingPayout | undefined> {
    const { rows } = await this.pool.query<{
      escrow_id: string;
      seller_id: string;
      reason: string;
      pending_since: Date;
    }>(`SELECT * FROM ${this.pending} WHERE escrow_id = $1`, [escrowId]);
    const row = rows[0];
    return row === undefined
      ? undefined
      : {
          escrowId: row.escrow_id,
          sellerId: row.seller_id,
          reason: row.reason,
          pendingSince: row.pending_since,
        };
  }

  async releasable(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ escrow_id: string }>(
      `SELECT p.escrow_id FROM ${this.pending} p
       JOIN ${this.parties} v ON v.user_id = p.seller_id AND v.status = 'verified'
       ORDER BY p.pending_since, p.escrow_id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.escrow_id);
  }
}
