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

export interface ProjectionStore {
  /** The last block applied for `channel`, or -1 before the genesis block. */
  lastBlock(channel: string): Promise<bigint>;
  /**
   * Writes the block's rows, outbox events and the checkpoint (lastBlock = effects.blockNumber) in ONE
   * transaction; throws CheckpointConflictError, having written nothing, unless the checkpoint was
   * exactly effects.blockNumber - 1.
   */
  applyBlock(channel: string, effects: BlockEffects): Promise<void>;
  /** Empties the projection (not the outbox, whose event ids dedupe the replay) and rewinds to -1. */
  resetProjection(channel: string): Promise<void>;
  /** Unsent outbox rows, for the backlog gauge. */
  outboxBacklog(): Promise<number>;
  close(): Promise<void>;
}
