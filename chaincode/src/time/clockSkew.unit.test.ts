import { expect } from 'chai';
import { expectRefusal } from '../testing/escrowFixtures';
import { CLOCK_SKEW_ENV, assertWithinClockSkew, maxClockSkewSeconds } from './clockSkew';

describe('clock skew check', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('accepts a timestamp within the allowed skew either way', () => {
    assertWithinClockSkew(now - 300_000, now, 300);
    assertWithinClockSkew(now + 300_000, now, 300);
  });

  it('refuses a backdated or postdated timestamp beyond the skew', () => {
    expectRefusal(() => {
      assertWithinClockSkew(now - 300_001, now, 300);
    }, 'CLOCK_SKEW');
    expectRefusal(() => {
      assertWithinClockSkew(now + 3_600_000, now, 300);
    }, 'CLOCK_SKEW');
  });

  it('reads the limit from the environment, 300 s by default', () => {
    expect(maxClockSkewSeconds({})).to.equal(300);
    expect(maxClockSkewSeconds({ [CLOCK_SKEW_ENV]: '30' })).to.equal(30);
    expect(() => maxClockSkewSeconds({ [CLOCK_SKEW_ENV]: '-1' })).to.throw(CLOCK_SKEW_ENV);
  });
});
