// The deadline keeper: each tick finds escrows whose deadline has passed and submits their
// transition. The chaincode decides by the transaction timestamp, so a keeper running early, twice,
// or on a projection that trails the ledger only earns a DEADLINE_NOT_REACHED / INVALID_STATE refusal,
// which is counted and otherwise ignored. A deadline just attempted (an escrow's, or one item's) is
// left alone for `retryAfterMs`, so the projection has time to catch up before it is tried again;
// another item of the same escrow is not held back by it.
import {
  ChaincodeRefusal,
  type DeadlineAction,
  type DeadlineLedger,
  type DeadlineStore,
  type DueEscrow,
} from './deadlinePorts';

/**
 * Refusals a projection trailing the ledger earns: ESCROW_HELD when a risk hold reached the ledger
 * before the projection; the next tick no longer finds the held escrow due.
 */
export const HARMLESS_REFUSALS: ReadonlySet<string> = new Set([
  'DEADLINE_NOT_REACHED',
  'INVALID_STATE',
  'ESCROW_HELD',
]);

/** What one attempt is remembered by: the escrow, and the item for item-level actions. */
function attemptKey(escrow: DueEscrow): string {
  return escrow.item === undefined ? escrow.escrowId : `${escrow.escrowId}#${String(escrow.item)}`;
}

export type Outcome = 'submitted' | 'refused_harmless' | 'refused' | 'failed';

export interface KeeperObserver {
  transition(action: DeadlineAction, outcome: Outcome, escrowId: string, detail: string): void;
  tick(due: number, seconds: number): void;
}

export interface KeeperOptions {
  readonly batchSize: number;
  readonly retryAfterMs: number;
  readonly now: () => Date;
}

export class Keeper {
  private readonly attempted = new Map<string, number>();

  constructor(
    private readonly store: DeadlineStore,
    private readonly ledger: DeadlineLedger,
    private readonly observer: KeeperObserver,
    private readonly options: KeeperOptions,
  ) {}

  /** One pass: returns how many transitions committed. */
  async tick(): Promise<number> {
    const began = Date.now();
    const now = this.options.now();
    for (const [key, at] of this.attempted)
      if (now.getTime() - at >= this.options.retryAfterMs) this.attempted.delete(key);
    const due = (await this.store.dueEscrows(now, this.options.batchSize)).filter(
      (escrow) => !this.attempted.has(attemptKey(escrow)),
    );
    let committed = 0;
    for (const escrow of due) {
      this.attempted.set(attemptKey(escrow), now.getTime());
      try {
        const transactionId = await this.ledger.submit(escrow);
        committed += 1;
        this.observer.transition(escrow.action, 'submitted', escrow.escrowId, transactionId);
      } catch (error) {
        if (error instanceof ChaincodeRefusal)
          this.observer.transition(
            escrow.action,
            HARMLESS_REFUSALS.has(error.code) ? 'refused_harmless' : 'refused',
            escrow.escrowId,
            error.code,
          );
        else
          this.observer.transition(
            escrow.action,
            'failed',
            escrow.escrowId,
            error instanceof Error ? error.message : String(error),
          );
      }
    }
    this.observer.tick(due.length, (Date.now() - began) / 1000);
    return committed;
  }
}
