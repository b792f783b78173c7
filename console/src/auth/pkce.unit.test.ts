import { expect } from 'chai';
import { base64Url, codeChallengeOf, newCodeVerifier } from './pkce';

describe('console PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).to.equal(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers of 43 base64url characters, a new one each time', () => {
    const first = newCodeVerifier();
    expect(first).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(newCodeVerifier()).to.not.equal(first);
  });

  it('encodes base64url without padding', () => {
    expect(base64Url(new Uint8Array([0xfb, 0xff]))).to.equal('-_8');
  });
});
