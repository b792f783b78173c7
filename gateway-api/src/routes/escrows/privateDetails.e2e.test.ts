// Personal data given at create travels as transient data into the parties' private collection:
// the parties and their marketplaces read it back, nobody else does, and erasure purges it.
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import {
  as,
  createRequest,
  GatewayReplica,
  orgOfCaller,
  uniqueEscrowId,
  type Caller,
} from '@p2p-escrow/testkit';

describe('gateway e2e: private details', function () {
  this.timeout(180_000);
  const escrowId = uniqueEscrowId('pd', 'e2e');
  const privateDetails = {
    salt: crypto.randomBytes(16).toString('hex'),
    shippingAddress: { street: '1 Rue de la Paix', city: 'Paris', postcode: '75002' },
    contact: 'alice@example.test',
  };
  const path = `/v1/escrows/${escrowId}/private-details`;
  // A gateway of its own per org, so the test runs the code under test whatever the stack's gateways
  // run; each caller goes to their own org's.
  const replicas: Record<string, GatewayReplica> = {
    MarketA: new GatewayReplica(18112),
    MarketB: new GatewayReplica(18121, {}, { org: 'MarketB' }),
    Oversight: new GatewayReplica(18122, {}, { org: 'Oversight' }),
  };
  const on = (caller: Caller) => ({ baseUrl: replicas[orgOfCaller(caller)]?.url ?? '' });

  before(async () => {
    // One after the other: three gateways starting at once on two cores outlast a start's deadline.
    for (const replica of Object.values(replicas)) await replica.start();
    const created = await as(
      'marketa-backend',
      'POST',
      '/v1/escrows',
      createRequest(escrowId, { privateDetails }),
      on('marketa-backend'),
    );
    expect(created.status, created.text).to.equal(201);
    // Only the hash reaches the public record.
    expect(JSON.stringify(created.body)).not.to.contain('Rue de la Paix');
  });
  after(() => Promise.all(Object.values(replicas).map((replica) => replica.stop())));

  for (const reader of ['marketa-backend', 'marketb-backend', 'alice', 'bea'] as const)
    it(`${reader} reads the shipping address and contact back, matching the public hash`, async () => {
      const read = await as(reader, 'GET', path, undefined, on(reader));
      expect(read.status, read.text).to.equal(200);
      expect(read.body).to.deep.include({
        escrowId,
        shippingAddress: privateDetails.shippingAddress,
        contact: privateDetails.contact,
        hashMatches: true,
      });
    });

  const refused: [Caller, string][] = [
    ['bob', 'ESCROW_ACCESS_DENIED'],
    ['olivia', 'ROLE_REQUIRED'],
    ['oscar', 'ROLE_REQUIRED'],
  ];
  for (const [caller, code] of refused)
    it(`refuses ${caller} with ${code}`, async () => {
      const read = await as(caller, 'GET', path, undefined, on(caller));
      expect([read.status, read.body['code']]).to.deep.equal([403, code]);
      expect(read.text).not.to.contain('Rue de la Paix');
    });

  it('only a party’s marketplace may erase; afterwards the data is gone and the hash stays', async () => {
    const byBuyer = await as('alice', 'POST', `${path}/erase`, undefined, on('alice'));
    expect([byBuyer.status, byBuyer.body['code']]).to.deep.equal([403, 'ROLE_REQUIRED']);

    const erased = await as('marketb-backend', 'POST', `${path}/erase`, undefined, on('marketb-backend'));
    expect(erased.status, erased.text).to.equal(200);
    const reference = (erased.body['escrow'] as { privateDetails: { hash: string; erasedAt: string | null } })
      .privateDetails;
    expect(reference.erasedAt).to.be.a('string');
    expect(reference.hash).to.match(/^[0-9a-f]{64}$/);

    const after = await as('marketa-backend', 'GET', path, undefined, on('marketa-backend'));
    expect([after.status, after.body['code']]).to.deep.equal([404, 'PRIVATE_DETAILS_NOT_FOUND']);
    const again = await as('marketa-backend', 'POST', `${path}/erase`, undefined, on('marketa-backend'));
    expect([again.status, again.body['code']]).to.deep.equal([404, 'PRIVATE_DETAILS_NOT_FOUND']);
  });
});
