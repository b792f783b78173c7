// Emits security events without ever slowing or failing the request that saw them: `emit` only
// appends to a bounded in-memory queue per sink and returns; each sink drains its queue in the
// background, in batches. A full queue or a failed write drops events and counts them (the
// `security_events_dropped_total` metric), it never throws into the caller.
import {
  securityEvent,
  type SecurityEvent,
  type SecurityEventInput,
  type SecurityEventType,
} from './securityEvent';

/** Where events go: the Kafka topic, the JSON-lines file. `write` may throw; the emitter counts it. */
export interface SecurityEventSink {
  readonly name: string;
  write(events: readonly SecurityEvent[]): Promise<void>;
  close(): Promise<void>;
}

export type SecurityDropReason = 'overflow' | 'sink_failed' | 'invalid';

export interface SecurityEmitterObserver {
  emitted(type: SecurityEventType): void;
  dropped(sink: string, reason: SecurityDropReason, count: number): void;
}

export interface SecurityEmitterOptions {
  /** Events waiting per sink before new ones are dropped. */
  readonly capacity: number;
  /** Events written per sink call. */
  readonly batchSize: number;
}

export const defaultSecurityEmitterOptions: SecurityEmitterOptions = { capacity: 10_000, batchSize: 200 };

const quietObserver: SecurityEmitterObserver = { emitted: () => undefined, dropped: () => undefined };

/** One sink's queue and its drain loop: at most one write in flight per sink. */
class SinkQueue {
  private readonly waiting: SecurityEvent[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    readonly sink: SecurityEventSink,
    private readonly options: SecurityEmitterOptions,
    private readonly observer: SecurityEmitterObserver,
  ) {}

  push(event: SecurityEvent): void {
    if (this.waiting.length >= this.options.capacity) {
      this.observer.dropped(this.sink.name, 'overflow', 1);
      return;
    }
    this.waiting.push(event);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves once everything queued so far has been written or dropped. */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    // Yield first, so the emitting request never waits on a sink's synchronous work.
    await Promise.resolve();
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.batchSize);
      try {
        await this.sink.write(batch);
      } catch {
        this.observer.dropped(this.sink.name, 'sink_failed', batch.length);
      }
    }
  }
}

export class SecurityEventEmitter {
  private readonly queues: SinkQueue[];

  constructor(
    sinks: readonly SecurityEventSink[],
    private readonly observer: SecurityEmitterObserver = quietObserver,
    options: SecurityEmitterOptions = defaultSecurityEmitterOptions,
  ) {
    this.queues = sinks.map((sink) => new SinkQueue(sink, options, observer));
  }

  /** Queues `event` for every sink; returns at once and never throws. */
  emit(event: SecurityEvent): void {
    try {
      this.observer.emitted(event.type);
      for (const queue of this.queues) queue.push(event);
    } catch {
      // An observer that throws must not reach the request either.
    }
  }

  /**
   * Builds the event (fresh id, now) and queues it; a malformed input is counted as dropped
   * (`invalid`) instead of thrown, so a bug in an emitter never turns into a failed request.
   */
  record<T extends SecurityEventType>(input: SecurityEventInput<T>): void {
    let event: SecurityEvent;
    try {
      event = securityEvent(input);
    } catch {
      for (const queue of this.queues) this.observer.dropped(queue.sink.name, 'invalid', 1);
      return;
    }
    this.emit(event);
  }

  /** Events waiting, per sink. */
  pending(): Record<string, number> {
    return Object.fromEntries(this.queues.map((queue) => [queue.sink.name, queue.pending]));
  }

  /** Waits until what was emitted so far is written (or dropped). */
  async flush(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.idle()));
  }

  /** Flushes for at most `timeoutMs`, then closes the sinks. */
  async close(timeoutMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    await Promise.allSettled(this.queues.map((queue) => queue.sink.close()));
  }
}
