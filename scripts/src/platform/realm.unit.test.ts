import { expect } from 'chai';
import * as fs from 'node:fs';
import { realmFile } from './realm';

describe('the realm file', () => {
  const realm = JSON.parse(fs.readFileSync(realmFile, 'utf8')) as Record<string, unknown>;

  it('asks for passwords of at least 12 characters that are neither the username nor the email', () => {
    const policy = String(realm['passwordPolicy']);
    expect(Number(/length\((\d+)\)/.exec(policy)?.[1])).to.be.at.least(12);
    expect(policy).to.contain('notUsername').and.to.contain('notEmail');
  });

  it('slows guessing without letting two quick failures lock anyone out for long', () => {
    expect(realm['bruteForceProtected']).to.equal(true);
    expect(realm['permanentLockout']).to.equal(false);
    expect(realm['minimumQuickLoginWaitSeconds']).to.be.at.most(10);
    expect(realm['failureFactor']).to.be.within(5, 30);
  });
});
