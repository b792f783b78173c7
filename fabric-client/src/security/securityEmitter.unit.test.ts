import { expect } from 'chai';
import fc from 'fast-check';
import { SecurityEventEmitter, type SecurityDropReason, type SecurityEventSink } from './securityEmitter';
import { securityEvent, type SecurityEvent } from './securityEvent';

const event = (): SecurityEvent =>
  securityEvent({
    type: 'ratelimit.hit',
    source: 'gateway-marketa',
    detail: { scope: 'address', retryAfterSeconds: 3, method: 'GET', path: '/v1/escrows' },
  });

/** A sink whose writes wait until `release()`; it records what it was given. */
class GatedSink implements SecurityEventSink {
  readonly name = 'gated';
  readonly written: SecurityEvent[] = [];
  private opened!: () => void;
  private gate = new Promise<void>((resolve) => {
    this.opened = resolve;
  });

  async write(events: readonly SecurityEvent[]): Promise<void> {
    await this.gate;
    this.written.push(...events);
  }

  release(): void {
    this.opened();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class FailingSink implements SecurityEventSink {
  readonly name = 'failing';
  write(): Promise<void> {
    return Promise.reject(new Error('broker unreachable'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function counting() {
  const dropped: Record<string, number> = {};
  return {
    dropped,
    observer: {
      emitted: () => undefined,
      dropped: (sink: string, reason: SecurityDropReason, count: number) => {
        dropped[`${sink}:${reason}`] = (dropped[`${sink}:${reason}`] ?? 0) + count;
      },
    },
  };
}

describe('the security event emitter', () => {
  it('returns at once while its sink has not finished a single write', async () => {
    const sink = new GatedSink();
    const emitter = new SecurityEventEmitter([sink]);
    for (let i = 0; i < 100; i += 1) emitter.emit(event());
    expect(sink.written).to.have.length(0);
    sink.release();
    await emitter.flush();
    expect(sink.written).to.have.length(100);
  });

  it('drops what exceeds its bounded queue and counts it, instead of growing or waiting', async () => {
    const sink = new GatedSink();
    const { dropped, observer } = counting();
    const emitter = new SecurityEventEmitter([sink], observer, { capacity: 10, batchSize: 4 });
    for (let i = 0; i < 50; i += 1) emitter.emit(event());
    // The drain starts after the caller's synchronous work: 10 kept, 40 dropped.
    expect(dropped['gated:overflow']).to.equal(40);
    sink.release();
    await emitter.flush();
    expect(sink.written).to.have.length(10);
  });

  it('never throws into the caller when a sink fails; it counts the lost events and keeps the others', async () => {
    const healthy = new GatedSink();
    healthy.release();
    const { dropped, observer } = counting();
    const emitter = new SecurityEventEmitter([new FailingSink(), healthy], observer);
    for (let i = 0; i < 5; i += 1)
      expect(() => {
        emitter.emit(event());
      }).not.to.throw();
    await emitter.flush();
    expect(dropped['failing:sink_failed']).to.equal(5);
    expect(healthy.written).to.have.length(5);
  });

  it('counts a malformed event as dropped instead of throwing', async () => {
    const sink = new GatedSink();
    sink.release();
    const { dropped, observer } = counting();
    const emitter = new SecurityEventEmitter([sink], observer);
    expect(() => {
      emitter.record({
        type: 'auth.failed',
        source: 'gateway-marketa',
        detail: { code: 'not a code', method: 'GET', path: '/' },
      });
    }).not.to.throw();
    await emitter.flush();
    expect(dropped['gated:invalid']).to.equal(1);
    expect(sink.written).to.have.length(0);
  });

  it('survives an observer that throws', () => {
    const emitter = new SecurityEventEmitter([], {
      emitted: () => {
        throw new Error('metrics broken');
      },
      dropped: () => undefined,
    });
    expect(() => {
      emitter.emit(event());
    }).not.to.throw();
  });

  it('accounts for every event: written plus dropped equals emitted, whatever the capacity and batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        async (emitted, capacity, batchSize) => {
          const sink = new GatedSink();
          const { dropped, observer } = counting();
          const emitter = new SecurityEventEmitter([sink], observer, { capacity, batchSize });
          for (let i = 0; i < emitted; i += 1) emitter.emit(event());
          sink.release();
          await emitter.flush();
          expect(sink.written.length + (dropped['gated:overflow'] ?? 0)).to.equal(emitted);
          expect(sink.written.length).to.be.at.most(capacity + batchSize);
        },
      ),
      { numRuns: 60 },
    );
  });
});
