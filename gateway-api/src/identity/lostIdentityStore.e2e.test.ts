// A gateway whose identity store lost a user's row (a new org schema, a database rebuilt) enrolls
// that user again at its org's CA, which registered them before: the registrar sets a fresh secret
// and the enrollment goes through, where the CA's one-enrollment allowance would have refused it.
import { gatewayDatabaseSchema } from '@p2p-escrow/scripts';
import { call, escrowDatabaseAs, GatewayReplica, tokenOf, uniqueEscrowId } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { identityKeyOf } from './fabricRoleIdentity';

describe('gateway e2e: a user enrolled before, lost from the identity store', function () {
  this.timeout(120_000);
  const replica = new GatewayReplica(18117, {}, { org: 'MarketB' });
  const identityKey = identityKeyOf({ org: 'MarketB', userId: 'bob', role: 'buyer' });
  const table = `${gatewayDatabaseSchema('MarketB')}.fabric_identities`;

  async function storedRows(): Promise<number> {
    const owner = await escrowDatabaseAs('owner');
    try {
      const { rows } = await owner.query(`SELECT 1 FROM ${table} WHERE identity_key = $1`, [identityKey]);
      return rows.length;
    } finally {
      await owner.end();
    }
  }

  after(() => replica.stop());

  it('is enrolled again by a gateway that never saw them, and served', async () => {
    const route = `/v1/escrows/${uniqueEscrowId('lost', 'e2e')}`;
    const token = await tokenOf('bob');
    // MarketB's gateway enrolls bob's buyer identity (registered at MarketB's CA) and stores it.
    expect((await call('GET', route, undefined, { token })).status).to.equal(404);
    expect(await storedRows()).to.equal(1);
    const owner = await escrowDatabaseAs('owner');
    await owner
      .query(`DELETE FROM ${table} WHERE identity_key = $1`, [identityKey])
      .finally(() => owner.end());

    await replica.start();
    const read = await call('GET', route, undefined, { token, baseUrl: replica.url });
    expect(read.status, read.text).to.equal(404);
    expect(read.body['code']).to.equal('ESCROW_NOT_FOUND');
    expect(await storedRows()).to.equal(1);
  });
});
