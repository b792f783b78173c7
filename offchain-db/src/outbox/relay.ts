// The outbox relay: publishes unsent rows in order and marks them sent only after the broker has
// acknowledged them. A crash between the two republishes the batch (at-least-once); consumers
// deduplicate on the event id header.
import type { Log } from '../mirror/mirror';
import { StoppableLoop } from '../ops/stoppableLoop';
import type { EventPublisher, OutgoingEvent } from './eventPublisher';
import type { OutboxRow, OutboxStore } from './outboxStore';

export interface RelayObserver {
  published(count: number, seconds: number): void;
  failed(error: unknown): void;
}

export interface RelayOptions {
  readonly batchSize: number;
  readonly idleDelayMs: number;
  readonly maxBackoffMs: number;
}

export const defaultRelayOptions: RelayOptions = { batchSize: 500, idleDelayMs: 200, maxBackoffMs: 10_000 };

export function outgoingEventOf(row: OutboxRow): OutgoingEvent {
  return {
    eventId: row.eventId,
    eventType: row.eventType,
    topic: row.topic,
    key: row.key,
    payload: row.payload,
    headers: {
      'event-id': row.eventId,
      'event-type': row.eventType,
      'escrow-id': row.key,
      'block-number': row.blockNumber.toString(),
    },
  };
}

export class OutboxRelay {
  private readonly loop = new StoppableLoop();

  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly observer: RelayObserver,
    private readonly log: Log,
    private readonly options: RelayOptions = defaultRelayOptions,
  ) {}

  async run(): Promise<void> {
    let backoffMs = 0;
    while (this.loop.running) {
      try {
        if (!(await this.store.holdLease())) {
          await this.loop.pause(1000);
          continue;
        }
        const sent = await this.relayOnce();
        backoffMs = 0;
        if (sent === 0) await this.loop.pause(this.options.idleDelayMs);
      } catch (error) {
        this.observer.failed(error);
        backoffMs = Math.min(Math.max(backoffMs * 2, 250), this.options.maxBackoffMs);
        this.log.error({ err: String(error), backoffMs }, 'relay failed; retrying');
        await this.loop.pause(backoffMs);
      }
    }
  }

  /** Publishes one batch; returns how many rows it marked sent. */
  async relayOnce(): Promise<number> {
    const rows = await this.store.unsent(this.options.batchSize);
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    const began = Date.now();
    try {
      await this.publisher.publish(rows.map(outgoingEventOf));
    } catch (error) {
      await this.store.markFailed(ids, String(error)).catch(() => undefined);
      throw error;
    }
    await this.store.markSent(ids);
    this.observer.published(rows.length, (Date.now() - began) / 1000);
    return rows.length;
  }

  stop(): void {
    this.loop.stop();
  }
}
