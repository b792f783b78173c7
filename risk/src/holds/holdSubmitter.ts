// Submits the holds the consumer queued, until the ledger has each: a flag raised (or found already
// raised) is done; a refusal is recorded with its code and not retried; anything else (a peer away,
// an MVCC conflict) is tried again with a growing delay. The queue lives in PostgreSQL, written in
// the same transaction as the decision, so a crash loses no hold and repeats none on the ledger.
import type { HoldQueue, PendingHold } from '../store/riskStore';
import { HoldRefusedError, type HoldLedger } from './holdLedger';

export interface HoldObserver {
  raised(hold: PendingHold, transactionId: string | undefined): void;
  refused(hold: PendingHold, code: string): void;
  failed(hold: PendingHold, error: unknown): void;
}

export interface HoldSubmitterOptions {
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export function retryDelayMs(
  attempts: number,
  options: Pick<HoldSubmitterOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempts, 20));
}

export class HoldSubmitter {
  constructor(
    private readonly queue: HoldQueue,
    private readonly ledger: HoldLedger,
    private readonly observer: HoldObserver,
    private readonly options: HoldSubmitterOptions,
  ) {}

  /** Submits every due hold once; resolves with how many were looked at. */
  async submitDue(): Promise<number> {
    const due = await this.queue.claimDue(this.options.batchSize, this.options.leaseMs);
    for (const hold of due) await this.submit(hold);
    return due.length;
  }

  private async submit(hold: PendingHold): Promise<void> {
    try {
      const result = await this.ledger.raiseHold(hold);
      const transactionId = result.outcome === 'raised' ? result.transactionId : undefined;
      await this.queue.markRaised(hold, transactionId);
      this.observer.raised(hold, transactionId);
    } catch (error) {
      if (error instanceof HoldRefusedError) {
        await this.queue.markRefused(hold, error.code, error.message);
        this.observer.refused(hold, error.code);
        return;
      }
      await this.queue.retryLater(hold, retryDelayMs(hold.attempts, this.options), String(error));
      this.observer.failed(hold, error);
    }
  }
}
