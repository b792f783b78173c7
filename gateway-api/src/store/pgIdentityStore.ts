// Sealed Fabric identities in PostgreSQL (table <schema>.fabric_identities, the gateway's own schema).
import type { SealedRecord } from '@p2p-escrow/fabric-client';
import type { Pool } from 'pg';
import type { IdentityStore, StoredIdentity } from '../identity/identityStore';

interface IdentityRow {
  identity_key: string;
  msp_id: string;
  sealed: SealedRecord;
  enrolled_at: Date;
}

export class PgIdentityStore implements IdentityStore {
  /** `schema`: the gateway's own (one per org), checked as a plain SQL name by its configuration. */
  constructor(
    private readonly pool: Pool,
    private readonly schema = 'gateway',
  ) {}

  async find(identityKey: string): Promise<StoredIdentity | undefined> {
    const { rows } = await this.pool.query<IdentityRow>(
      `SELECT identity_key, msp_id, sealed, enrolled_at FROM ${this.schema}.fabric_identities WHERE identity_key = $1`,
      [identityKey],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { identityKey: row.identity_key, mspId: row.msp_id, sealed: row.sealed, enrolledAt: row.enrolled_at };
  }

  /** A session advisory lock on a connection of its own, held for the duration of `work`. */
  async exclusive<T>(identityKey: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `fabric-identity:${identityKey}`;
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
      }
    } finally {
      client.release();
    }
  }

  async save(identity: StoredIdentity): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.fabric_identities (identity_key, msp_id, sealed, enrolled_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (identity_key) DO UPDATE SET msp_id = EXCLUDED.msp_id, sealed = EXCLUDED.sealed, enrolled_at = EXCLUDED.enrolled_at`,
      [identity.identityKey, identity.mspId, JSON.stringify(identity.sealed), identity.enrolledAt],
    );
  }
}
