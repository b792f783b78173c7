// The ledger as the mirror and the reconciler need it: a stream of committed blocks from a start
// block, and read-only queries. The Fabric adapter is ledger/projectionLedger.ts.
import type { Escrow, HistoryEntry } from '@p2p-escrow/chaincode';
import type { Block } from '@p2p-escrow/fabric-client';

export interface BlockStream extends AsyncIterable<Block> {
  close(): void;
}

export interface BlockSource {
  blocks(startBlock: bigint): Promise<BlockStream>;
}

export interface LedgerReader {
  /** Number of blocks the peer has committed (the next block number). */
  height(): Promise<bigint>;
  /** The escrow as the ledger holds it now. */
  escrowOnLedger(escrowId: string): Promise<Escrow>;
  /** Every committed version of the escrow, oldest first. */
  ledgerHistory(escrowId: string): Promise<HistoryEntry[]>;
  /** Every escrow id on the ledger (through the chaincode's by-marketplace index). */
  escrowIds(marketplaces: readonly string[]): Promise<Set<string>>;
}
