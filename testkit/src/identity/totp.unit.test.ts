import { expect } from 'chai';
import { totp } from './totp';

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
