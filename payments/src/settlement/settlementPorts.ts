// The settlement worker's ports: the ledger (read the escrow, record a settlement) as the
// marketplace's payments identity, where the marketplace pays its sellers, and where failed
// settlements wait for their next attempt. Adapters: fabricSettlementLedger.ts, pgSettlementStore.ts.
import type { Escrow, Payee } from '@p2p-escrow/chaincode';

export interface SettlementLedger {
  /**
   * The escrow as the marketplace reads it; undefined when it is not of this marketplace's trades.
   * With `atLeastBlock` (the block of the event that brought it), as of that block or later: the own
   * peer may not have committed it yet, and an earlier version would show nothing owed. Rejects with
   * code PEER_BEHIND when the peer does not hold that block in time.
   */
  readEscrow(escrowId: string, atLeastBlock?: bigint): Promise<Escrow | undefined>;
  /**
   * Records a completed movement with the provider's object id (with `item`, one ended item's own);
   * a second record of it changes nothing.
   */
  recordSettlement(
    escrow: Escrow,
    payee: Payee,
    providerRef: string,
    item?: number,
  ): Promise<'recorded' | 'already-recorded'>;
}

/** Where the marketplace pays each of its sellers: the provider's connected account of the user. */
export interface PayeeAccounts {
  accountOf(userId: string): Promise<string | undefined>;
}

export interface ParkedSettlement {
  readonly escrowId: string;
  /** Failed attempts so far (1 after the first failure). */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly errorCode: string;
  readonly errorDetail: string;
}

/** Escrows whose settlement failed: kept until it succeeds, tried again after a backoff. */
export interface ParkedSettlements {
  park(settlement: ParkedSettlement): Promise<void>;
  /** Failed attempts of the escrow so far; 0 when it is not parked. */
  attemptsOf(escrowId: string): Promise<number>;
  /** Removes the escrow once everything it owed is recorded. */
  unpark(escrowId: string): Promise<void>;
  /** Escrows whose next attempt is due at `now`, oldest first. */
  due(now: Date, limit: number): Promise<string[]>;
  /** How many escrows wait, and since when the oldest does. */
  summary(): Promise<{ readonly parked: number; readonly oldestParkedAt: Date | undefined }>;
}
