// The relay's port to the outbox table.

export interface OutboxRow {
  readonly id: bigint;
  readonly eventId: string;
  readonly eventType: string;
  readonly topic: string;
  readonly key: string;
  readonly payload: unknown;
  readonly blockNumber: bigint;
}

export interface OutboxStore {
  /** True while this process is the one active relay (others stand by), so per-key order holds. */
  holdLease(): Promise<boolean>;
  /** The oldest unsent rows, in insertion (ledger) order. */
  unsent(limit: number): Promise<OutboxRow[]>;
  markSent(ids: readonly bigint[]): Promise<void>;
  markFailed(ids: readonly bigint[], error: string): Promise<void>;
  backlog(): Promise<number>;
  close(): Promise<void>;
}
