import { expect } from 'chai';
import { nextSettlementAttempt } from './settlementBackoff';

const settings = { baseDelayMs: 1000, maxDelayMs: 60_000 };
const now = new Date('2026-11-30T00:00:00.000Z');
const delay = (attempts: number, random: number) =>
  nextSettlementAttempt(settings, attempts, now, random).getTime() - now.getTime();

describe('the backoff of a parked settlement', () => {
  it('doubles the step after each failure, between half and all of it', () => {
    expect([1, 2, 3, 4].map((attempts) => delay(attempts, 0.999_999))).to.deep.equal([
      1000, 2000, 4000, 8000,
    ]);
    expect([1, 2, 3, 4].map((attempts) => delay(attempts, 0))).to.deep.equal([500, 1000, 2000, 4000]);
  });

  it('caps the wait and keeps retrying however many attempts failed', () => {
    expect(delay(10, 0.999_999)).to.equal(60_000);
    expect(delay(10_000, 0.5)).to.equal(45_000);
  });
});
