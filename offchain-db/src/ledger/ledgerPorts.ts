// The ledger as the mirror and the reconciler need it: a stream of committed blocks from a start
// block, and read-only queries. The Fabric adapter is ledger/fabricLedger.ts.
import type { Block } from './blockParser';
import type { EscrowRecord } from './ledgerRecords';

export interface BlockStream extends AsyncIterable<Block> {
  close(): void;
}

export interface BlockSource {
  blocks(startBlock: bigint): Promise<BlockStream>;
}

export interface HistoryEntry {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
}

export interface LedgerReader {
  /** Number of blocks the peer has committed (the next block number). */
  height(): Promise<bigint>;
  readEscrow(escrowId: string): Promise<EscrowRecord>;
  history(escrowId: string): Promise<HistoryEntry[]>;
  /** Every escrow id on the ledger (through the chaincode's by-marketplace index). */
  escrowIds(marketplaces: readonly string[]): Promise<Set<string>>;
}
