import { expect } from 'chai';
import type { EventPublisher, OutgoingEvent } from './eventPublisher';
import type { OutboxRow, OutboxStore } from './outboxStore';
import { OutboxRelay } from './relay';

class MemoryOutbox implements OutboxStore {
  readonly sent = new Set<bigint>();
  readonly failures: string[] = [];
  constructor(readonly rows: OutboxRow[]) {}
  holdLease = () => Promise.resolve(true);
  unsent = (limit: number) =>
    Promise.resolve(this.rows.filter((row) => !this.sent.has(row.id)).slice(0, limit));
  markSent = (ids: readonly bigint[]) => {
    for (const id of ids) this.sent.add(id);
    return Promise.resolve();
  };
  markFailed = (_ids: readonly bigint[], error: string) => {
    this.failures.push(error);
    return Promise.resolve();
  };
  backlog = () => Promise.resolve(this.rows.length - this.sent.size);
  close = () => Promise.resolve();
}

function row(id: number, key: string): OutboxRow {
  return {
    id: BigInt(id),
    eventId: `tx-${id}:0`,
    eventType: 'Shipped',
    topic: 'escrow-events',
    key,
    payload: { n: id },
    blockNumber: BigInt(10 + id),
  };
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const noMetrics = { published: () => undefined, failed: () => undefined };

describe('OutboxRelay', () => {
  it('publishes in outbox order with the event id header and marks rows sent after the acknowledgement', async () => {
    const outbox = new MemoryOutbox([row(1, 'esc-a'), row(2, 'esc-b'), row(3, 'esc-a')]);
    const published: OutgoingEvent[] = [];
    const publisher: EventPublisher = {
      publish: (events) => {
        expect(outbox.sent.size, 'nothing is marked before the broker acknowledges').to.equal(0);
        published.push(...events);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };

    const count = await new OutboxRelay(outbox, publisher, noMetrics, quiet).relayOnce();

    expect(count).to.equal(3);
    expect(published.map((event) => event.eventId)).to.deep.equal(['tx-1:0', 'tx-2:0', 'tx-3:0']);
    expect(published[0]?.headers).to.include({
      'event-id': 'tx-1:0',
      'escrow-id': 'esc-a',
      'block-number': '11',
    });
    expect(published.map((event) => event.key)).to.deep.equal(['esc-a', 'esc-b', 'esc-a']);
    expect(await outbox.backlog()).to.equal(0);
  });

  it('leaves the rows unsent when the broker does not acknowledge, and sends them on the next pass', async () => {
    const outbox = new MemoryOutbox([row(1, 'esc-a'), row(2, 'esc-a')]);
    let brokerUp = false;
    const publisher: EventPublisher = {
      publish: () => (brokerUp ? Promise.resolve() : Promise.reject(new Error('broker unavailable'))),
      close: () => Promise.resolve(),
    };
    const relay = new OutboxRelay(outbox, publisher, noMetrics, quiet);

    const failed = await relay.relayOnce().then(
      () => 'sent',
      (error: unknown) => String(error),
    );
    expect(failed).to.match(/broker unavailable/);
    expect(await outbox.backlog()).to.equal(2);
    expect(outbox.failures).to.have.length(1);

    brokerUp = true;
    expect(await relay.relayOnce()).to.equal(2);
    expect(await outbox.backlog()).to.equal(0);
  });
});
