import { expect } from 'chai';
import * as fs from 'node:fs';
import { base32, demoCredentialEnv, demoUser, demoUsers } from './demoUsers';
import { realmFile } from './realm';

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

  it('commits no credential: every demo password and TOTP secret in the realm file is a placeholder', () => {
    const realm = fs.readFileSync(realmFile, 'utf8');
    const credentialValues = [...realm.matchAll(/"value": "([^"]*)"|\\"value\\":\\"([^\\]*)\\"/g)].map(
      (match) => match[1] ?? match[2] ?? '',
    );
    expect(credentialValues).to.have.length.greaterThan(0);
    for (const value of credentialValues)
      expect(value).to.match(/^\$\{P2P_DEMO_[A-Z0-9]+_(PASSWORD|TOTP_SECRET)\}$/);
  });

  it('hands Keycloak the generated credentials the tests and npm start use', () => {
    const env = demoCredentialEnv();
    expect(env['P2P_DEMO_ALICE_PASSWORD']).to.equal(demoUser('alice').password);
    expect(env['P2P_DEMO_OLIVIA_TOTP_SECRET']).to.equal(demoUser('olivia').totpSecret?.toString('utf8'));
    expect(demoUser('alice').password).not.to.equal(demoUser('bob').password);
    expect(demoUser('alice').password).to.have.length.greaterThanOrEqual(20);
  });
});
