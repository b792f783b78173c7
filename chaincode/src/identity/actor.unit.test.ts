import { expect } from 'chai';
import { FOUNDING_REGISTRY, expectRefusal } from '../testing/escrowFixtures';
import { type IdentitySource, actorFromIdentity } from './actor';

function identity(mspId: string, attributes: Record<string, string>): IdentitySource {
  return { getMSPID: () => mspId, getAttributeValue: (name) => attributes[name] ?? null };
}

const actorOf = (source: IdentitySource) => actorFromIdentity(source, FOUNDING_REGISTRY);

describe('actor from client identity', () => {
  it('reads MSP ID, role, user id and marketplace', () => {
    const alice = actorOf(identity('MarketAMSP', { role: 'buyer', userId: 'alice', marketplace: 'MarketA' }));
    expect(alice).to.deep.equal({
      mspId: 'MarketAMSP',
      organization: 'MarketA',
      role: 'buyer',
      userId: 'alice',
    });
    const arbiter = actorOf(
      identity('OversightMSP', { role: 'arbiter', userId: 'olivia', marketplace: 'Oversight' }),
    );
    expect(arbiter.organization).to.equal('Oversight');
  });

  it('refuses a marketplace attribute that does not match the MSP', () => {
    const spoof = identity('MarketAMSP', { role: 'buyer', userId: 'bob', marketplace: 'MarketB' });
    expectRefusal(() => actorOf(spoof), 'INVALID_IDENTITY');
  });

  it('refuses unknown MSPs, unknown roles and missing attributes', () => {
    expectRefusal(
      () => actorOf(identity('OrdererMSP', { role: 'admin', userId: 'x', marketplace: 'Orderer' })),
      'INVALID_IDENTITY',
    );
    expectRefusal(
      () => actorOf(identity('MarketAMSP', { role: 'god', userId: 'x', marketplace: 'MarketA' })),
      'INVALID_IDENTITY',
    );
    expectRefusal(
      () => actorOf(identity('MarketAMSP', { role: 'buyer', marketplace: 'MarketA' })),
      'INVALID_IDENTITY',
    );
    expectRefusal(
      () => actorOf(identity('MarketAMSP', { userId: 'x', marketplace: 'MarketA' })),
      'INVALID_IDENTITY',
    );
  });

  it('refuses roles an organization does not issue', () => {
    expectRefusal(
      () => actorOf(identity('MarketAMSP', { role: 'arbiter', userId: 'x', marketplace: 'MarketA' })),
      'INVALID_IDENTITY',
    );
    expectRefusal(
      () => actorOf(identity('OversightMSP', { role: 'payments', userId: 'x', marketplace: 'Oversight' })),
      'INVALID_IDENTITY',
    );
  });
});
