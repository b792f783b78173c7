import { expect } from 'chai';
import { principalFromClaims, type GatewayRole, type Principal } from '../../auth/principal';
import { requireAnyRole } from '../../auth/authenticate';
import { ApiError } from '../../errors/apiError';
import { actingRole, canSee, type EscrowParties } from './escrowAccess';

function principal(userId: string, marketplace: string | undefined, roles: GatewayRole[]): Principal {
  return { subject: `sub-${userId}`, userId, clientId: 'escrow-web', marketplace, roles: new Set(roles) };
}

const escrow: EscrowParties = {
  escrowId: 'e-1',
  buyer: { marketplace: 'MarketA', userId: 'alice' },
  seller: { marketplace: 'MarketB', userId: 'bea' },
};

describe('roles and access at the gateway', () => {
  it('reads a service account token as its client, with realm roles and the marketplace claim', () => {
    const backend = principalFromClaims(
      {
        sub: 's-1',
        azp: 'marketa-backend',
        preferred_username: 'service-account-marketa-backend',
        realm_access: { roles: ['marketplace', 'payments', 'offline_access', 'default-roles-p2p-escrow'] },
        marketplace: 'MarketA',
      },
      'escrow-gateway',
    );
    expect(backend.userId).to.equal('marketa-backend');
    expect([...backend.roles]).to.deep.equal(['marketplace', 'payments']);
    expect(backend.marketplace).to.equal('MarketA');
  });

  it('reads a user token as the username, with gateway client roles too', () => {
    const user = principalFromClaims(
      {
        sub: 's-2',
        azp: 'escrow-web',
        preferred_username: 'olivia',
        realm_access: { roles: ['arbiter'] },
        resource_access: { 'escrow-gateway': { roles: ['auditor'] }, other: { roles: ['buyer'] } },
      },
      'escrow-gateway',
    );
    expect(user.userId).to.equal('olivia');
    expect([...user.roles].sort()).to.deep.equal(['arbiter', 'auditor']);
  });

  it('refuses with 403 ROLE_REQUIRED when no allowed role is held', () => {
    expect(() => {
      requireAnyRole(principal('alice', 'MarketA', ['buyer']), ['payments']);
    })
      .to.throw(ApiError)
      .with.property('status', 403);
  });

  it('shows an escrow to its parties, their marketplaces and overseers only', () => {
    expect(canSee(principal('alice', 'MarketA', ['buyer']), escrow)).to.equal(true);
    expect(canSee(principal('bea', 'MarketB', ['seller']), escrow)).to.equal(true);
    expect(canSee(principal('bob', 'MarketB', ['buyer']), escrow)).to.equal(false);
    expect(canSee(principal('amir', 'MarketA', ['seller']), escrow)).to.equal(false);
    expect(canSee(principal('marketb-backend', 'MarketB', ['marketplace', 'payments']), escrow)).to.equal(
      true,
    );
    expect(canSee(principal('olivia', 'Oversight', ['arbiter']), escrow)).to.equal(true);
    expect(canSee(principal('oscar', 'Oversight', ['auditor']), escrow)).to.equal(true);
  });

  it("acts with the party role of the caller's side", () => {
    const both = principal('alice', 'MarketA', ['buyer', 'seller']);
    expect(actingRole(both, escrow, ['seller', 'buyer', 'marketplace'])).to.equal('buyer');
    const backend = principal('marketa-backend', 'MarketA', ['marketplace', 'payments']);
    expect(actingRole(backend, escrow, ['seller', 'buyer', 'marketplace'])).to.equal('marketplace');
  });
});
