// HTTPS by default: the stack's gateway answers only TLS on its port, to a client that trusts the
// local CA; a further gateway started with the stack's configuration serves /healthz and the
// authenticated API over TLS too, and fails a client that does not trust that CA.
import { expect } from 'chai';
import { GatewayReplica, gatewayTlsCaFile, gatewayUrl, httpsCall, tokenOf } from '@p2p-escrow/testkit';
import * as fs from 'node:fs';

async function plainHttpAnswer(url: string): Promise<number | Error> {
  return fetch(url).then(
    (response) => response.status,
    (error: unknown) => error as Error,
  );
}

describe('gateway e2e: the stack serves HTTPS only', function () {
  this.timeout(60_000);

  it('answers a client trusting the local CA over HTTPS', async () => {
    expect(gatewayUrl).to.match(/^https:/);
    const ca = fs.readFileSync(gatewayTlsCaFile, 'utf8');
    expect((await httpsCall('GET', `${gatewayUrl}/healthz`, { ca })).status).to.equal(200);
  });

  it('gives no answer to plain HTTP on its port', async () => {
    const plain = gatewayUrl.replace(/^https:/, 'http:');
    const answer = await plainHttpAnswer(`${plain}/healthz`);
    expect(answer, 'an HTTP status from a plain-HTTP request').to.be.instanceOf(Error);
  });
});

describe('gateway e2e: HTTPS with the local CA', function () {
  this.timeout(120_000);
  const replica = new GatewayReplica(18113);
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
