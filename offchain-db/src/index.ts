// What other packages may use of offchain-db: the escrow search (query builder, cursor, store port).
export * from './search/escrowSearch';
export type { EscrowSearchStore } from './search/escrowSearchStore';
