import { expect } from 'chai';
import { base32, demoUser, demoUsers } from './demoUsers';

describe('demo users of the realm file', () => {
  it('encodes TOTP secrets in base32 as RFC 4648 does', () => {
    expect(base32(Buffer.from('foobar'))).to.equal('MZXW6YTBOI');
  });

  it('reads every demo user with a password, and a TOTP secret for the arbiter and the auditor', () => {
    const names = demoUsers().map((user) => user.username);
    expect(names).to.include.members(['alice', 'amir', 'bob', 'bea', 'olivia', 'oscar']);
    for (const user of demoUsers()) expect(user.password, user.username).to.have.length.greaterThan(0);
    expect(demoUser('olivia').totpSecret).to.be.instanceOf(Buffer);
    expect(demoUser('alice').totpSecret).to.equal(undefined);
  });
});
