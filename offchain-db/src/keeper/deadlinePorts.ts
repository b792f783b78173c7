// The keeper's ports: where due escrows are found (the projection) and where their transition is
// submitted (the ledger). The chaincode decides by the transaction timestamp, so both may be early.

export type DeadlineAction =
  | 'release'
  | 'cancel'
  | 'expire'
  | 'deliveryOverdue'
  | 'releaseItem'
  | 'expireReturn'
  | 'expireItemDelivery';

export interface DueEscrow {
  readonly escrowId: string;
  readonly action: DeadlineAction;
  /** The item's index, for the item-level actions (releaseItem, expireReturn, expireItemDelivery) only. */
  readonly item?: number;
  readonly buyerMarketplace: string;
  readonly sellerMarketplace: string;
  /**
   * The passed deadline: inspection end (release, and an item's for releaseItem), fund-by (cancel),
   * accept-by (expire), deliver-by (deliveryOverdue), or the item's return deadline (expireReturn:
   * addressBy, shipBackBy or returnBy, whichever its return awaits), or a shipped item's deliverBy
   * (expireItemDelivery).
   */
  readonly deadline: Date;
}

export interface DeadlineStore {
  /** Escrows (or their items) whose state and deadline call for `action` at `now`, oldest deadline first. */
  dueEscrows(now: Date, limit: number): Promise<DueEscrow[]>;
}

export interface DeadlineLedger {
  /** Submits the transition and waits for its commit; resolves with the transaction id. */
  submit(escrow: DueEscrow): Promise<string>;
  close(): void;
}

/** The chaincode refused the transition with one of its stable codes. */
export class ChaincodeRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ChaincodeRefusal';
  }
}
