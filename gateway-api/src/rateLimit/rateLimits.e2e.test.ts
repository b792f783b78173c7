// One busy user of the web client does not lock its other users out: public clients have no shared
// bucket. A replica with tiny budgets and its own counters keeps the stack's gateway untouched.
import { expect } from 'chai';
import { call, GatewayReplica, newKey, tokenOf, type ApiResponse } from '@p2p-escrow/testkit';

describe('gateway e2e: rate limits of the public web client', function () {
  this.timeout(120_000);
  const budget = 5;
  const replica = new GatewayReplica(18115, {
    P2P_GATEWAY_RATE_PER_CLIENT: String(budget),
    P2P_GATEWAY_RATE_PER_USER: String(budget),
    P2P_GATEWAY_RATE_KEY_PREFIX: `gateway:rl:e2e:${newKey()}`,
  });
  before(() => replica.start());
  after(() => replica.stop());

  const route = '/v1/users/MarketB/bea/reputation';

  /** Calls until the first 429 (bounded: a replica counts in memory until Redis is ready). */
  async function spendUntilLimited(token: string, baseUrl: string): Promise<ApiResponse> {
    for (let index = 0; index < 3 * budget; index++) {
      const answer = await call('GET', route, undefined, { token, baseUrl });
      if (answer.status === 429) return answer;
    }
    throw new Error(`no 429 after ${String(3 * budget)} requests`);
  }

  it('one web user exhausting its limit does not limit another web user', async () => {
    const limited = await spendUntilLimited(await tokenOf('alice'), replica.url);
    expect(limited.body['scope'], limited.text).to.equal('user');

    // Another web user of the same org's gateway (MarketA's, the replica's).
    const other = await call('GET', route, undefined, { token: await tokenOf('amir'), baseUrl: replica.url });
    expect(other.status, other.text).to.equal(200);
  });

  it('requests without a valid token are limited per address', async () => {
    const spender = new GatewayReplica(18116, {
      P2P_GATEWAY_RATE_PER_ADDRESS: String(budget),
      P2P_GATEWAY_RATE_KEY_PREFIX: `gateway:rl:e2e:${newKey()}`,
    });
    await spender.start();
    try {
      const limited = await spendUntilLimited('not-a-token', spender.url);
      expect([limited.body['code'], limited.body['scope']], limited.text).to.deep.equal([
        'RATE_LIMITED',
        'address',
      ]);
    } finally {
      await spender.stop();
    }
  });
});
