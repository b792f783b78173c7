import type { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { PeerBlockFeed } from './peerBlockFeed';

/** A block stream the test feeds by hand; `fail` ends it as a peer going away would. */
class HandFedStream implements CloseableAsyncIterable<peer.FilteredBlock> {
  readonly #queue: peer.FilteredBlock[] = [];
  #wake: (() => void) | undefined;
  #ended: Error | 'closed' | undefined;

  push(number: number, transactions: readonly [string, number][]): void {
    const block = new peer.FilteredBlock();
    block.setNumber(number);
    block.setFilteredTransactionsList(
      transactions.map(([id, code]) => {
        const transaction = new peer.FilteredTransaction();
        transaction.setTxid(id);
        transaction.setTxValidationCode(code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
        return transaction;
      }),
    );
    this.#queue.push(block);
    this.#wake?.();
  }

  fail(): void {
    this.#ended = new Error('peer went away');
    this.#wake?.();
  }

  close(): void {
    this.#ended = 'closed';
    this.#wake?.();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<peer.FilteredBlock> {
    for (;;) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#ended instanceof Error) throw this.#ended;
      if (this.#ended === 'closed') return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

function feedWithStreams() {
  const opened: { via: string; start: bigint; stream: HandFedStream }[] = [];
  const feed = new PeerBlockFeed<string>((via, start) => {
    const stream = new HandFedStream();
    opened.push({ via, start, stream });
    return Promise.resolve(stream);
  });
  const streamOf = (index: number): HandFedStream => {
    const entry = opened[index];
    if (entry === undefined) throw new Error(`no stream ${String(index)} opened`);
    return entry.stream;
  };
  return { feed, opened, streamOf };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('peer block feed: read-your-writes by transaction id from one stream per peer', () => {
  it('resolves many writes from one stream opened at the first write’s block', async () => {
    const { feed, opened, streamOf } = feedWithStreams();
    const first = feed.waitFor('tx-1', 7n, () => 'alice', 5_000);
    const second = feed.waitFor('tx-2', 7n, () => 'bea', 5_000);
    await settle();
    expect(opened.map(({ via, start }) => [via, start])).to.deep.equal([['alice', 7n]]);
    streamOf(0).push(7, [
      ['tx-1', 0],
      ['tx-2', 11],
    ]);
    expect(await first).to.equal('committed');
    expect(await second).to.equal('invalid');
    feed.close();
  });

  it('answers at once for a transaction or a block the stream has already shown', async () => {
    const { feed, opened, streamOf } = feedWithStreams();
    const first = feed.waitFor('tx-1', 3n, () => 'alice', 5_000);
    await settle();
    streamOf(0).push(3, [['tx-1', 0]]);
    await first;
    expect(await feed.waitFor('tx-1', 3n, () => 'alice', 5_000)).to.equal('committed');
    expect(await feed.waitFor('tx-earlier', 2n, () => 'alice', 5_000)).to.equal('committed');
    expect(opened).to.have.length(1);
    feed.close();
  });

  it('resolves a write whose block the stream passed without showing its id (it began later)', async () => {
    const { feed, streamOf } = feedWithStreams();
    const later = feed.waitFor('tx-9', 9n, () => 'alice', 5_000);
    const earlier = feed.waitFor('tx-8', 8n, () => 'alice', 5_000);
    await settle();
    streamOf(0).push(9, [['tx-9', 0]]);
    expect(await later).to.equal('committed');
    expect(await earlier).to.equal('committed');
    feed.close();
  });

  it('lets waiters run into their deadline when the peer goes away, then reopens after the last block seen', async () => {
    const { feed, opened, streamOf } = feedWithStreams();
    const first = feed.waitFor('tx-1', 4n, () => 'alice', 5_000);
    await settle();
    streamOf(0).push(4, [['tx-1', 0]]);
    await first;
    streamOf(0).fail();
    await settle();
    const stranded = feed.waitFor('tx-2', 5n, () => 'bea', 30);
    expect(await stranded).to.equal('failed');
    // Reopened at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const next = feed.waitFor('tx-3', 6n, () => 'bea', 5_000);
    await settle();
    expect(opened.map(({ via, start }) => [via, start])).to.deep.equal([
      ['alice', 4n],
      ['bea', 5n],
    ]);
    streamOf(1).push(5, [['tx-2', 0]]);
    streamOf(1).push(6, [['tx-3', 0]]);
    expect(await next).to.equal('committed');
    feed.close();
  });
});
