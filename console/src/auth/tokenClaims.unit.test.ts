import { expect } from 'chai';
import { base64Url } from './pkce';
import { consoleRolesOf, signedInUserOf } from './tokenClaims';

function tokenWith(claims: Record<string, unknown>): string {
  const part = (value: unknown) => base64Url(new TextEncoder().encode(JSON.stringify(value)));
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

describe('console token claims', () => {
  it('reads the user, realm roles, marketplace and expiry of an access token', () => {
    const user = signedInUserOf(
      tokenWith({
        preferred_username: 'oscar',
        realm_access: { roles: ['auditor', 'totp-required', 7] },
        marketplace: 'Oversight',
        exp: 1_900_000_000,
      }),
    );
    expect(user).to.deep.equal({
      username: 'oscar',
      roles: ['auditor', 'totp-required'],
      marketplace: 'Oversight',
      expiresAt: 1_900_000_000,
    });
  });

  it('opens the audit and consortium pages to auditors, the dispute queue to arbiters, nothing to buyers', () => {
    const user = (roles: string[]) => signedInUserOf(tokenWith({ sub: 'x', realm_access: { roles } }));
    expect(consoleRolesOf(user(['auditor']))).to.deep.equal(['auditor', 'operator']);
    expect(consoleRolesOf(user(['operator', 'auditor']))).to.deep.equal(['auditor', 'operator']);
    expect(consoleRolesOf(user(['operator']))).to.deep.equal(['operator']);
    expect(consoleRolesOf(user(['arbiter', 'offline_access']))).to.deep.equal(['arbiter']);
    expect(consoleRolesOf(user(['buyer']))).to.deep.equal([]);
  });

  it('refuses a token that is not a JWT', () => {
    expect(() => signedInUserOf('opaque')).to.throw('not a JWT');
  });
});
