// The service's port to its database: one transaction per Kafka message, opened only when the
// partition's checkpoint moves past the message's offset (compare-and-set), in which the event's
// facts, its decisions, its review rows and its pending holds are written. A crash before the commit
// leaves nothing, and the message is read again; a message read again after the commit finds the
// checkpoint past it and writes nothing.
import type { Outcome } from '../engine/decide';
import type { Party, RiskEvent } from '../engine/riskEvent';
import type { Fact } from '../aggregates/facts';
import type { FactView } from '../aggregates/factView';

export interface MessagePosition {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** What one message's transaction may do. */
export interface RiskTransaction extends FactView {
  /** The escrow's buyer and seller, from the auditor's projection (undefined: not projected). */
  partiesOf(escrowId: string): Promise<{ buyer: Party; seller: Party } | undefined>;
  addFacts(facts: readonly Fact[]): Promise<void>;
  /** The decision, the shadow hits, a review row for `review`, a pending hold for `hold`. */
  record(event: RiskEvent, outcome: Outcome): Promise<void>;
}

export type Applied = 'applied' | 'duplicate';

export interface RiskStore {
  /** Runs `work` in the message's transaction, or nothing when the checkpoint is already past it. */
  applyMessage(position: MessagePosition, work: (tx: RiskTransaction) => Promise<void>): Promise<Applied>;
}

/** A hold waiting to be raised on the ledger. */
export interface PendingHold {
  readonly escrowId: string;
  readonly rule: string;
  readonly reasonCode: string;
  readonly severity: 'low' | 'medium' | 'high';
  readonly buyerMarketplace: string;
  readonly sellerMarketplace: string;
  /** The escrow's amount (minor units) and currency when the hold was decided; undefined for older rows. */
  readonly amount: string | undefined;
  readonly currency: string | undefined;
  readonly attempts: number;
}

export interface HoldQueue {
  /** Due pending holds, leased for `leaseMs` so a slow submission is not picked twice. */
  claimDue(limit: number, leaseMs: number): Promise<PendingHold[]>;
  markRaised(hold: PendingHold, txId: string | undefined): Promise<void>;
  markRefused(hold: PendingHold, code: string, detail: string): Promise<void>;
  retryLater(hold: PendingHold, delayMs: number, error: string): Promise<void>;
}
