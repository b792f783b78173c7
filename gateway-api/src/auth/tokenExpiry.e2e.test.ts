// Token expiry without waiting out the realm's 300 s lifespan: a gateway whose token clock runs
// 10 minutes ahead sees a fresh Keycloak token as expired, while the stack's gateway accepts it.
import { expect } from 'chai';
import { call, GatewayReplica, tokenOf } from '@p2p-escrow/testkit';

describe('gateway e2e: expired tokens', function () {
  this.timeout(120_000);
  const later = new GatewayReplica(18114, { P2P_GATEWAY_TOKEN_CLOCK_OFFSET_SECONDS: '600' });
  before(() => later.start());
  after(() => later.stop());

  it('answers 401 TOKEN_EXPIRED with problem details once the token’s exp has passed', async () => {
    const token = await tokenOf('alice');
    const route = '/v1/users/MarketB/bob/reputation';
    expect((await call('GET', route, undefined, { token })).status).to.equal(200);
    const expired = await call('GET', route, undefined, { token, baseUrl: later.url });
    expect([expired.status, expired.body['code']]).to.deep.equal([401, 'TOKEN_EXPIRED']);
    expect(expired.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });
});
