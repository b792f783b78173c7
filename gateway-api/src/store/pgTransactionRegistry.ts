// The transactions the gateway submitted and who submitted them (table <schema>.submitted_transactions, the gateway's own schema).
import type { Pool } from 'pg';
import type { Submitter, TransactionRegistry } from '../routes/transactions/transactionAccess';

export class PgTransactionRegistry implements TransactionRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly schema = 'gateway',
  ) {}

  async record(transactionId: string, submitter: Submitter): Promise<void> {
    // A replayed or resumed create answers with the first attempt's transaction: keep its first record.
    await this.pool.query(
      `INSERT INTO ${this.schema}.submitted_transactions (transaction_id, client_id, user_id, organization)
       VALUES ($1, $2, $3, $4) ON CONFLICT (transaction_id) DO NOTHING`,
      [transactionId, submitter.clientId, submitter.userId, submitter.organization],
    );
  }

  async submitterOf(transactionId: string): Promise<Submitter | undefined> {
    const { rows } = await this.pool.query<{ client_id: string; user_id: string; organization: string }>(
      `SELECT client_id, user_id, organization FROM ${this.schema}.submitted_transactions WHERE transaction_id = $1`,
      [transactionId],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { clientId: row.client_id, userId: row.user_id, organization: row.organization };
  }
}
