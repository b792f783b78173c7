import { expect } from 'chai';
import type { GatewayRole, Principal } from '../../auth/principal';
import { mayReadTransaction, submitterOf, type Submitter } from './transactionAccess';

function principal(
  userId: string,
  clientId: string,
  marketplace: string | undefined,
  roles: GatewayRole[],
): Principal {
  return { subject: `sub-${userId}`, userId, clientId, marketplace, roles: new Set(roles) };
}

const backendA = principal('marketa-backend', 'marketa-backend', 'MarketA', ['marketplace', 'payments']);
const backendB = principal('marketb-backend', 'marketb-backend', 'MarketB', ['marketplace', 'payments']);
const alice = principal('alice', 'escrow-web', 'MarketA', ['buyer']);
const bob = principal('bob', 'escrow-web', 'MarketB', ['buyer']);
const oscar = principal('oscar', 'escrow-web', 'Oversight', ['auditor']);
const olivia = principal('olivia', 'escrow-web', 'Oversight', ['arbiter']);

describe('who may read a transaction’s status', () => {
  const byBackendA: Submitter = submitterOf(backendA, 'MarketA');
  const byAlice: Submitter = submitterOf(alice, 'MarketA');

  it('its submitter may', () => {
    expect(mayReadTransaction(backendA, byBackendA)).to.equal(true);
    expect(mayReadTransaction(alice, byAlice)).to.equal(true);
  });

  it('the backends of the submitter’s marketplace may', () => {
    expect(mayReadTransaction(backendA, byAlice)).to.equal(true);
  });

  it('auditors may, even for a transaction the gateway did not record', () => {
    expect(mayReadTransaction(oscar, byBackendA)).to.equal(true);
    expect(mayReadTransaction(oscar, undefined)).to.equal(true);
  });

  it('another marketplace, another user of the same marketplace, an arbiter or anyone for an unrecorded id may not', () => {
    expect(mayReadTransaction(backendB, byAlice)).to.equal(false);
    expect(mayReadTransaction(alice, byBackendA)).to.equal(false);
    expect(mayReadTransaction(bob, byAlice)).to.equal(false);
    expect(mayReadTransaction(olivia, byAlice)).to.equal(false);
    expect(mayReadTransaction(backendA, undefined)).to.equal(false);
  });
});
