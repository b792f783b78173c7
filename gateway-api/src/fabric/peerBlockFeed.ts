// What one peer has committed, followed through one filtered block stream kept open for the
// process's lifetime. Waiters are resolved by transaction id when the stream shows their
// transaction, or by any block at or past the one that committed it on the caller's own peer (every
// peer validates the same block the same way). A stream that breaks (the peer went away) is reopened
// by the next wait from the block after the last one seen, at most once a second; until then its
// waiters run into their deadline, as a commit-status request to a dead peer would.
import type { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { peer } from '@hyperledger/fabric-protos';

export type WaitOutcome = 'committed' | 'invalid' | 'failed';

/** Opens the peer's filtered block stream from `startBlock`, signed as `via`. */
export type BlockStreamOpener<Via> = (
  via: Via,
  startBlock: bigint,
) => Promise<CloseableAsyncIterable<peer.FilteredBlock>>;

// TxValidationCode.VALID
const VALID = 0;
// Transactions remembered after their block, for waiters that come after the stream showed them.
const SEEN_CAPACITY = 50_000;
const REOPEN_PAUSE_MS = 1_000;

interface Waiter {
  readonly block: bigint;
  settle(outcome: WaitOutcome): void;
}

export class PeerBlockFeed<Via> {
  #height = -1n;
  readonly #seen = new Map<string, boolean>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #following = false;
  #stream: CloseableAsyncIterable<peer.FilteredBlock> | undefined;
  #lastOpenedAt = -Infinity;
  #closed = false;

  constructor(
    private readonly open: BlockStreamOpener<Via>,
    private readonly onOpened: () => void = () => undefined,
  ) {}

  /** Newest block number the stream has shown, -1 before the first. */
  get height(): bigint {
    return this.#height;
  }

  waitFor(transactionId: string, block: bigint, via: () => Via, deadlineMs: number): Promise<WaitOutcome> {
    const valid = this.#seen.get(transactionId);
    if (valid !== undefined) return Promise.resolve(valid ? 'committed' : 'invalid');
    if (this.#height >= block) return Promise.resolve('committed');
    this.follow(via, block);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(transactionId) ?? new Set<Waiter>();
      this.#waiters.set(transactionId, waiters);
      const waiter: Waiter = {
        block,
        settle: (outcome) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (waiters.size === 0) this.#waiters.delete(transactionId);
          resolve(outcome);
        },
      };
      const timer = setTimeout(() => {
        waiter.settle('failed');
      }, deadlineMs);
      waiters.add(waiter);
    });
  }

  close(): void {
    this.#closed = true;
    this.#stream?.close();
    for (const waiters of [...this.#waiters.values()]) for (const waiter of waiters) waiter.settle('failed');
  }

  private follow(via: () => Via, firstBlock: bigint): void {
    if (this.#following || this.#closed || performance.now() - this.#lastOpenedAt < REOPEN_PAUSE_MS) return;
    this.#following = true;
    this.#lastOpenedAt = performance.now();
    const start = this.#height >= 0n ? this.#height + 1n : firstBlock;
    this.onOpened();
    void (async () => {
      try {
        const stream = await this.open(via(), start);
        this.#stream = stream;
        if (this.#closed) stream.close();
        for await (const block of stream) this.onBlock(block);
      } catch {
        // The peer went away or the stream was closed: the next wait reopens it.
      } finally {
        this.#stream = undefined;
        this.#following = false;
      }
    })();
  }

  private onBlock(block: peer.FilteredBlock): void {
    const number = BigInt(block.getNumber());
    for (const transaction of block.getFilteredTransactionsList()) {
      const id = transaction.getTxid();
      const valid = transaction.getTxValidationCode() === VALID;
      this.remember(id, valid);
      for (const waiter of [...(this.#waiters.get(id) ?? [])]) waiter.settle(valid ? 'committed' : 'invalid');
    }
    if (number > this.#height) this.#height = number;
    // A waiter whose block has passed without its id (the stream began after it) is committed there.
    for (const waiters of [...this.#waiters.values()])
      for (const waiter of [...waiters]) if (waiter.block <= number) waiter.settle('committed');
  }

  private remember(transactionId: string, valid: boolean): void {
    this.#seen.set(transactionId, valid);
    if (this.#seen.size <= SEEN_CAPACITY) return;
    const oldest = this.#seen.keys().next().value;
    if (oldest !== undefined) this.#seen.delete(oldest);
  }
}
