// The mirror loop: from the checkpoint + 1, read committed blocks in order and apply each in one
// database transaction. A restart (or a crash) resumes from the checkpoint, so nothing is lost or
// applied twice; a lost compare-and-set means another writer applied that block, so re-read.
import type { Organization } from '@p2p-escrow/chaincode';
import type { BlockSource } from '../ledger/ledgerPorts';
import { CheckpointConflictError, type AppliedBlock, type ProjectionStore } from '../store/projectionStore';
import { blockEffects, type EscrowFallback } from './blockEffects';

export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What the loop reports, for metrics and health. */
export interface MirrorObserver {
  blockApplied(
    blockNumber: bigint,
    blockTime: Date | undefined,
    transitions: number,
    applied: AppliedBlock,
  ): void;
  streamOpened(startBlock: bigint): void;
  failed(error: unknown): void;
}

export interface MirrorOptions {
  readonly channel: string;
  readonly chaincodeName: string;
  /** Whose projection this is (see ProjectionOptions). */
  readonly organization: Organization;
  readonly fallback?: EscrowFallback;
  /** Pause before reconnecting after an error. */
  readonly retryDelayMs?: number;
}

export class Mirror {
  private stopped = false;
  private closeStream: (() => void) | undefined;

  constructor(
    private readonly source: BlockSource,
    private readonly store: ProjectionStore,
    private readonly options: MirrorOptions,
    private readonly observer: MirrorObserver,
    private readonly log: Log,
  ) {}

  /** Runs until stop(), or until block `untilBlock` is applied when given (a rebuild). */
  async run(untilBlock?: bigint): Promise<void> {
    while (!this.isStopped()) {
      try {
        const last = await this.store.lastBlock(this.options.channel);
        if (untilBlock !== undefined && last >= untilBlock) return;
        if (await this.follow(last, untilBlock)) return;
      } catch (error) {
        if (this.isStopped()) return;
        this.observer.failed(error);
        if (error instanceof CheckpointConflictError) {
          this.log.warn({ err: error.message }, 'another writer advanced the checkpoint; resuming from it');
        } else {
          this.log.error({ err: describe(error) }, 'mirror failed; reconnecting');
          await sleep(this.options.retryDelayMs ?? 1000);
        }
      }
    }
  }

  /** A method, not the field, so the loop re-reads it after each await (stop() comes from a signal). */
  isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.closeStream?.();
  }

  /** Applies blocks after `last`; true when `untilBlock` was reached. */
  private async follow(last: bigint, untilBlock: bigint | undefined): Promise<boolean> {
    const stream = await this.source.blocks(last + 1n);
    this.closeStream = () => {
      stream.close();
    };
    this.observer.streamOpened(last + 1n);
    let expected = last + 1n;
    try {
      for await (const block of stream) {
        if (this.isStopped()) return true;
        // The peer delivers in order from the start block; anything else means a broken stream.
        if (block.number !== expected)
          throw new Error(`expected block ${expected}, the peer delivered ${block.number}`);
        const effects = await blockEffects(block, this.options);
        const applied = await this.store.applyBlock(this.options.channel, effects);
        for (const record of applied.quarantined)
          this.log.error(
            {
              blockNumber: String(record.blockNumber),
              txId: record.txId,
              escrowIds: record.escrowIds,
              reason: record.reason,
            },
            'transaction quarantined: its records could not be read or stored',
          );
        this.observer.blockApplied(block.number, effects.blockTime, effects.transitions.length, applied);
        expected = block.number + 1n;
        if (untilBlock !== undefined && block.number >= untilBlock) return true;
      }
      return this.isStopped();
    } finally {
      stream.close();
      this.closeStream = undefined;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
