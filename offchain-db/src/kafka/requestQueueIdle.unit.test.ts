// kafkajs 2.2.4's request queue, as patched in patches/kafkajs+2.2.4.patch: a connection with nothing
// pending and no broker throttle arms no timer. Unpatched, every idle connection re-armed a 1 ms
// timer for ever (about a thousand wake-ups a second per connection), which kept each Kafka-using
// daemon at 3-5 % of a core with no traffic at all.
import { expect } from 'chai';
import { createRequire } from 'node:module';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}

type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueue;

const requireFromHere = createRequire(__filename);
const RequestQueueImpl = requireFromHere('kafkajs/src/network/requestQueue') as RequestQueueClass;
const silent = () => ({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

function idleQueue(): RequestQueue {
  return new RequestQueueImpl({
    instrumentationEmitter: null,
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'idle-test',
    broker: 'localhost:9092',
    logger: silent(),
    isConnected: () => true,
  });
}

function countChecks(queue: RequestQueue): () => number {
  let checks = 0;
  const original = queue.checkPendingRequests.bind(queue);
  queue.checkPendingRequests = () => {
    checks += 1;
    original();
  };
  return () => checks;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kafkajs request queue at rest (patched)', () => {
  it('arms no timer when nothing is pending and the broker has not throttled', async () => {
    const queue = idleQueue();
    const checks = countChecks(queue);
    queue.checkPendingRequests();
    await wait(60);
    expect(queue.throttleCheckTimeoutId).to.equal(null);
    // The call above, and no timer-driven check after it.
    expect(checks()).to.equal(1);
    queue.destroy();
  });

  it('still checks the queue once a broker throttle has passed', async () => {
    const queue = idleQueue();
    const checks = countChecks(queue);
    queue.maybeThrottle(20);
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).to.not.equal(null);
    await wait(80);
    expect(checks()).to.be.at.least(2);
    expect(queue.throttleCheckTimeoutId).to.equal(null);
    queue.destroy();
  });
});
