// The mirror's port to its database: read the checkpoint, apply one block's effects atomically with
// the checkpoint's compare-and-set, and clear the projection for a rebuild.
import type { BlockEffects } from '../mirror/blockEffects';

/** Another writer advanced the checkpoint first; this block's transaction was rolled back. */
export class CheckpointConflictError extends Error {
  readonly code = 'CHECKPOINT_CONFLICT';
  constructor(
    readonly channel: string,
    readonly expectedLastBlock: bigint,
  ) {
    super(`checkpoint of ${channel} is no longer at block ${expectedLastBlock}: another writer won`);
    this.name = 'CheckpointConflictError';
  }
}

/**
 * A transaction of the block set aside: its records could not be read (CORRUPT_STATE), or PostgreSQL
 * refused its rows even once made storable.
 */
export interface QuarantinedRecord {
  readonly blockNumber: bigint;
  readonly txId: string;
  /** The escrows the transaction wrote or emitted an event for. */
  readonly escrowIds: readonly string[];
  readonly reason: string;
}

/** What applying a block changed beyond the rows themselves: the alarms of the projection. */
export interface AppliedBlock {
  /** Strings whose characters PostgreSQL refuses were replaced (see store/storableJson.ts). */
  readonly repairedTexts: number;
  readonly quarantined: readonly QuarantinedRecord[];
}

export const NOTHING_SET_ASIDE: AppliedBlock = { repairedTexts: 0, quarantined: [] };

export interface ProjectionStore {
  /** The last block applied for `channel`, or -1 before the genesis block. */
  lastBlock(channel: string): Promise<bigint>;
  /**
   * Writes the block's rows, outbox events and the checkpoint (lastBlock = effects.blockNumber) in ONE
   * transaction; throws CheckpointConflictError, having written nothing, unless the checkpoint was
   * exactly effects.blockNumber - 1. A transaction whose rows PostgreSQL refuses is quarantined, never a
   * reason to stop: the checkpoint advances past it.
   */
  applyBlock(channel: string, effects: BlockEffects): Promise<AppliedBlock>;
  /** Empties the projection (not the outbox, whose event ids dedupe the replay) and rewinds to -1. */
  resetProjection(channel: string): Promise<void>;
  /** Unsent outbox rows, for the backlog gauge. */
  outboxBacklog(): Promise<number>;
  close(): Promise<void>;
}
