// Escrow search on the mirror's projection (public.escrows, written by offchain-db's mirror). The
// statement comes from offchain-db's query builder, the same one its search benchmark measures.
import {
  buildEscrowSearch,
  type EscrowSearch,
  type EscrowSearchRow,
  type EscrowSearchStore,
} from '@p2p-escrow/offchain-db';
import type { Pool } from 'pg';

export class PgEscrowSearchStore implements EscrowSearchStore {
  constructor(
    private readonly pool: Pool,
    private readonly table = 'public.escrows',
  ) {}

  async search(search: EscrowSearch): Promise<EscrowSearchRow[]> {
    const query = buildEscrowSearch(search, this.table);
    return (await this.pool.query<EscrowSearchRow>(query.text, query.values)).rows;
  }
}
