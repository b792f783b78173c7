// The port through which business logic searches escrows; the PostgreSQL adapter is the only one
// that holds a connection.
import type { EscrowSearch, EscrowSearchRow } from './escrowSearch';

export interface EscrowSearchStore {
  search(search: EscrowSearch): Promise<EscrowSearchRow[]>;
}
