import { expect } from 'chai';
import type { GatewayRole, Principal } from '../auth/principal';
import { bucketsOf } from './rateLimits';

function principal(userId: string, clientId: string, roles: GatewayRole[]): Principal {
  return { subject: `sub-${userId}`, userId, clientId, marketplace: 'MarketA', roles: new Set(roles) };
}

describe('rate limit buckets', () => {
  const publicClients = ['escrow-web'];

  it('two users of the public web client share no bucket', () => {
    const alice = bucketsOf(principal('alice', 'escrow-web', ['buyer']), publicClients);
    const bob = bucketsOf(principal('bob', 'escrow-web', ['buyer']), publicClients);
    expect(alice.map((bucket) => bucket.scope)).to.deep.equal(['user']);
    expect(alice.filter((bucket) => bob.some((other) => other.key === bucket.key))).to.deep.equal([]);
  });

  it('a confidential backend keeps its per-client budget besides its user’s', () => {
    const backend = bucketsOf(
      principal('marketa-backend', 'marketa-backend', ['marketplace']),
      publicClients,
    );
    expect(backend).to.deep.equal([
      { scope: 'client', key: 'marketa-backend' },
      { scope: 'user', key: 'marketa-backend|sub-marketa-backend' },
    ]);
  });
});
