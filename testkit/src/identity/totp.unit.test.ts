import { expect } from 'chai';
import { OneTimeCodes, totp, totpStep } from './totp';

describe('totp', () => {
  // RFC 6238 appendix B, SHA-1 column, with its 20-byte ASCII seed.
  const seed = Buffer.from('12345678901234567890', 'ascii');

  it('matches the RFC 6238 SHA-1 test vectors', () => {
    expect(totp(seed, 59_000, { digits: 8 })).to.equal('94287082');
    expect(totp(seed, 1_111_111_109_000, { digits: 8 })).to.equal('07081804');
    expect(totp(seed, 20_000_000_000_000, { digits: 8 })).to.equal('65353130');
  });

  it('keeps leading zeros of a six-digit code', () => {
    expect(totp(seed, 1_111_111_109_000)).to.equal('081804');
  });
});

describe('one-time codes for repeated logins', () => {
  const key = Buffer.from('12345678901234567890', 'ascii');

  function fakeClock(startMs: number) {
    const clock = {
      at: startMs,
      slept: 0,
      now: () => clock.at,
      sleep: (ms: number) => {
        clock.at += ms;
        clock.slept += ms;
        return Promise.resolve();
      },
    };
    return clock;
  }

  it('never hands out the same step twice for one account: the second login waits for the next step', async () => {
    const clock = fakeClock(1_000_000_005_000);
    const codes = new OneTimeCodes(clock);
    const first = await codes.next('olivia', key);
    const second = await codes.next('olivia', key);
    expect(first).to.equal(totp(key, 1_000_000_005_000));
    expect(second).to.equal(totp(key, 1_000_000_020_000));
    expect(totpStep(clock.at)).to.equal(totpStep(1_000_000_005_000) + 1);
    expect(clock.slept).to.be.within(15_000, 16_000);
  });

  it('does not make another account wait', async () => {
    const clock = fakeClock(1_000_000_005_000);
    const codes = new OneTimeCodes(clock);
    await codes.next('olivia', key);
    await codes.next('oscar', key);
    expect(clock.slept).to.equal(0);
  });
});
