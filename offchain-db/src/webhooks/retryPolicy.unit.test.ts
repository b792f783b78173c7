import { expect } from 'chai';
import { afterFailure, MAX_DELAY_MS, RETRY_WINDOW_MS } from './retryPolicy';

describe('webhook retry policy', () => {
  const enqueuedAt = new Date('2026-01-01T00:00:00Z');
  const settings = { baseDelayMs: 1000, maxAttempts: undefined };

  const delayAfter = (attempts: number, random: number) => {
    const decision = afterFailure(settings, attempts, enqueuedAt, enqueuedAt, random);
    if (decision.kind !== 'retry') throw new Error('expected a retry');
    return decision.nextAttemptAt.getTime() - enqueuedAt.getTime();
  };

  it('doubles the delay per attempt, jittered between half and all of the step', () => {
    expect(delayAfter(1, 0)).to.equal(500);
    expect(delayAfter(1, 0.999_999)).to.be.closeTo(1000, 1);
    expect(delayAfter(2, 0)).to.equal(1000);
    expect(delayAfter(4, 0.5)).to.equal(6000);
  });

  it('caps one delay at six hours', () => {
    expect(delayAfter(40, 0.999_999)).to.be.closeTo(MAX_DELAY_MS, 100);
    expect(delayAfter(40, 0)).to.equal(MAX_DELAY_MS / 2);
  });

  it('dead-letters once the next attempt would fall outside three days', () => {
    const late = new Date(enqueuedAt.getTime() + RETRY_WINDOW_MS - 1000);
    expect(afterFailure(settings, 3, enqueuedAt, late, 0).kind).to.equal('dead');
    const early = new Date(enqueuedAt.getTime() + RETRY_WINDOW_MS - 60_000);
    expect(afterFailure(settings, 3, enqueuedAt, early, 0).kind).to.equal('retry');
  });

  it('dead-letters after the subscription attempt limit', () => {
    const limited = { baseDelayMs: 100, maxAttempts: 3 };
    expect(afterFailure(limited, 2, enqueuedAt, enqueuedAt, 0).kind).to.equal('retry');
    expect(afterFailure(limited, 3, enqueuedAt, enqueuedAt, 0).kind).to.equal('dead');
  });
});
