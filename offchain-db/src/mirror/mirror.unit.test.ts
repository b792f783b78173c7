import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import {
  CheckpointConflictError,
  NOTHING_SET_ASIDE,
  type AppliedBlock,
  type ProjectionStore,
} from '../store/projectionStore';
import { escrowRecord, escrowTx } from '../testing/blockBuilder';
import { syntheticChain } from '../testing/syntheticChain';
import type { BlockEffects } from './blockEffects';
import { Mirror, type MirrorObserver, type MirrorOptions } from './mirror';

/** The store's contract in memory: effects and checkpoint together, compare-and-set on the checkpoint. */
class MemoryStore implements ProjectionStore {
  last = -1n;
  readonly transitions: string[] = [];
  beforeApply: (effects: BlockEffects) => void = () => undefined;
  lastBlock = () => Promise.resolve(this.last);
  applyBlock(_channel: string, effects: BlockEffects): Promise<AppliedBlock> {
    this.beforeApply(effects);
    if (this.last !== effects.blockNumber - 1n)
      return Promise.reject(new CheckpointConflictError('c', this.last));
    this.transitions.push(...effects.transitions.map((t) => t.txId));
    this.last = effects.blockNumber;
    return Promise.resolve(NOTHING_SET_ASIDE);
  }
  resetProjection = () => Promise.resolve();
  outboxBacklog = () => Promise.resolve(0);
  close = () => Promise.resolve();
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const observer: MirrorObserver = {
  blockApplied: () => undefined,
  streamOpened: () => undefined,
  failed: () => undefined,
};
const options: MirrorOptions = {
  channel: 'marketplace',
  chaincodeName: 'escrow',
  organization: OVERSIGHT,
  retryDelayMs: 1,
};

describe('Mirror', () => {
  it('applies every block once, in order, up to the target', async () => {
    const store = new MemoryStore();

    await new Mirror(syntheticChain(6), store, options, observer, quiet).run(5n);

    expect(store.last).to.equal(5n);
    expect(store.transitions).to.deep.equal(['tx-1', 'tx-2', 'tx-3', 'tx-4', 'tx-5']);
  });

  it('resumes from the checkpoint after a crash, applying nothing twice', async () => {
    const store = new MemoryStore();
    store.beforeApply = (effects) => {
      if (effects.blockNumber === 3n) {
        store.beforeApply = () => undefined;
        throw new Error('connection lost mid-block');
      }
    };

    await new Mirror(syntheticChain(6), store, options, observer, quiet).run(5n);

    expect(store.transitions).to.deep.equal(['tx-1', 'tx-2', 'tx-3', 'tx-4', 'tx-5']);
  });

  it('yields to a rival writer that advanced the checkpoint, and continues after it', async () => {
    const store = new MemoryStore();
    store.beforeApply = (effects) => {
      if (effects.blockNumber === 2n) {
        // Another mirror applied block 2 first.
        store.beforeApply = () => undefined;
        store.transitions.push('tx-2');
        store.last = 2n;
      }
    };

    await new Mirror(syntheticChain(6), store, options, observer, quiet).run(5n);

    expect(store.transitions).to.deep.equal(['tx-1', 'tx-2', 'tx-3', 'tx-4', 'tx-5']);
  });

  it("advances past another org's trades without recording them", async () => {
    const store = new MemoryStore();
    const marketBOnly = (n: number) =>
      n % 2 === 0
        ? escrowTx(
            `tx-${n}`,
            'EscrowCreated',
            escrowRecord(`esc-${n}`, { buyer: { marketplace: 'MarketB', userId: 'bob' } }),
          )
        : undefined;

    await new Mirror(
      syntheticChain(6, marketBOnly),
      store,
      { ...options, organization: 'MarketA' },
      observer,
      quiet,
    ).run(5n);

    expect(store.last).to.equal(5n);
    expect(store.transitions).to.deep.equal(['tx-1', 'tx-3', 'tx-5']);
  });
});
