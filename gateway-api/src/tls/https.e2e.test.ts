// HTTPS from the state directory: a second gateway with P2P_GATEWAY_TLS=1 serves /healthz and the
// authenticated API over TLS to a client that trusts the local CA, and fails a client that does not.
import { expect } from 'chai';
import { GatewayReplica, gatewayTlsCaFile, httpsCall, tokenOf } from '@p2p-escrow/testkit';
import * as fs from 'node:fs';

describe('gateway e2e: HTTPS with the local CA', function () {
  this.timeout(120_000);
  const replica = new GatewayReplica(18113, { P2P_GATEWAY_TLS: '1' });
  let ca = '';
  before(async () => {
    await replica.start();
    ca = fs.readFileSync(gatewayTlsCaFile, 'utf8');
  });
  after(() => replica.stop());

  it('serves /healthz over TLS to a client trusting the gateway CA', async () => {
    expect(replica.url).to.match(/^https:/);
    const health = await httpsCall('GET', `${replica.url}/healthz`, { ca });
    expect(health.status).to.equal(200);
  });

  it('serves an authenticated route over TLS', async () => {
    const reputation = await httpsCall('GET', `${replica.url}/v1/users/MarketB/bob/reputation`, {
      ca,
      token: await tokenOf('alice'),
    });
    expect(reputation.status, reputation.text).to.equal(200);
    expect(reputation.body).to.include({ marketplace: 'MarketB', userId: 'bob' });
    const anonymous = await httpsCall('GET', `${replica.url}/v1/users/MarketB/bob/reputation`, { ca });
    expect([anonymous.status, anonymous.body['code']]).to.deep.equal([401, 'TOKEN_MISSING']);
  });

  it('is refused by a client that does not trust the local CA', async () => {
    let failure: unknown;
    try {
      await httpsCall('GET', `${replica.url}/healthz`);
    } catch (error) {
      failure = error;
    }
    expect((failure as NodeJS.ErrnoException | undefined)?.code).to.match(/CERT|SELF_SIGNED|UNABLE/);
  });
});
