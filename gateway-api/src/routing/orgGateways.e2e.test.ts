// One gateway per org, each with the powers of that org only: it trusts its own org's realm alone,
// enrolls only the roles its org issues, and a cross-org trade completes with each party acting
// through its own marketplace's gateway (endorsement reaching the other org's peer over the network).
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import {
  addRealmUser,
  call,
  createRequest,
  gatewayUrlOf,
  oneTimeCodes,
  passwordToken,
  payThroughProvider,
  tokenOf,
  uniqueEscrowId,
  type ApiResponse,
  type Caller,
} from '@p2p-escrow/testkit';

/** `caller`'s request at the gateway of `org`, whatever the caller's own org. */
async function at(org: string, caller: Caller, method: string, route: string, body?: unknown) {
  return call(method, route, body, { token: await tokenOf(caller), baseUrl: gatewayUrlOf(org) });
}

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status, response.text).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(response.body['code']).to.equal(code);
}

describe('gateway e2e: one gateway per org', function () {
  this.timeout(180_000);

  it('serves each org on its own address', () => {
    const urls = ['MarketA', 'MarketB', 'Oversight'].map(gatewayUrlOf);
    expect(new Set(urls).size).to.equal(3);
  });

  it("a MarketA token at MarketB's gateway is refused (401, code TOKEN_ISSUER_UNTRUSTED)", async () => {
    for (const caller of ['alice', 'marketa-backend'] as const) {
      expectProblem(await at('MarketB', caller, 'GET', '/v1/escrows'), 401, 'TOKEN_ISSUER_UNTRUSTED');
      expectProblem(await at('Oversight', caller, 'GET', '/v1/escrows'), 401, 'TOKEN_ISSUER_UNTRUSTED');
    }
    // And the other way round: MarketB's and Oversight's users at MarketA's gateway.
    for (const caller of ['bea', 'oscar'] as const)
      expectProblem(await at('MarketA', caller, 'GET', '/v1/escrows'), 401, 'TOKEN_ISSUER_UNTRUSTED');
    // The same token at its own org's gateway is served.
    expect((await at('MarketA', 'alice', 'GET', '/v1/escrows')).status).to.equal(200);
  });

  it("MarketA's gateway refuses to enroll an arbiter (403 ROLE_NOT_ISSUED)", async () => {
    // An arbiter of MarketA's realm (a misconfigured or compromised identity provider): MarketA does
    // not issue arbiters, so its gateway neither enrolls one nor signs as one.
    const username = `rogue-arbiter-${crypto.randomBytes(4).toString('hex')}`;
    const password = crypto.randomBytes(18).toString('base64url');
    const totpSecret = crypto.randomBytes(20).toString('hex');
    await addRealmUser('MarketA', {
      username,
      password,
      roles: ['arbiter'],
      marketplace: 'MarketA',
      totpSecret,
    });
    const code = await oneTimeCodes.next(username, Buffer.from(totpSecret, 'utf8'));
    const token = await passwordToken(username, password, code, 'MarketA');
    const escrowId = uniqueEscrowId('rogue', 'e2e');
    const resolve = await call(
      'POST',
      `/v1/escrows/${escrowId}/resolve`,
      { buyerRefund: '0' },
      { token, baseUrl: gatewayUrlOf('MarketA') },
    );
    expectProblem(resolve, 403, 'ROLE_NOT_ISSUED');
    expectProblem(
      await call('GET', `/v1/escrows/${escrowId}`, undefined, { token, baseUrl: gatewayUrlOf('MarketA') }),
      403,
      'ROLE_NOT_ISSUED',
    );
  });

  it("Oversight's gateway refuses to enroll a buyer (403 ROLE_NOT_ISSUED)", async () => {
    const username = `rogue-buyer-${crypto.randomBytes(4).toString('hex')}`;
    const password = crypto.randomBytes(18).toString('base64url');
    await addRealmUser('Oversight', { username, password, roles: ['buyer'], marketplace: 'Oversight' });
    const token = await passwordToken(username, password, undefined, 'Oversight');
    expectProblem(
      await call('GET', `/v1/escrows/${uniqueEscrowId('rogue', 'e2e')}`, undefined, {
        token,
        baseUrl: gatewayUrlOf('Oversight'),
      }),
      403,
      'ROLE_NOT_ISSUED',
    );
  });

  it("refuses a user of its realm whose marketplace is another org's (403 ORGANIZATION_NOT_SERVED)", async () => {
    const username = `misfiled-${crypto.randomBytes(4).toString('hex')}`;
    const password = crypto.randomBytes(18).toString('base64url');
    await addRealmUser('MarketA', { username, password, roles: ['buyer'], marketplace: 'MarketB' });
    const token = await passwordToken(username, password, undefined, 'MarketA');
    expectProblem(
      await call('GET', '/v1/escrows', undefined, { token, baseUrl: gatewayUrlOf('MarketA') }),
      403,
      'ORGANIZATION_NOT_SERVED',
    );
  });

  describe('a cross-org escrow completes with each party through its own gateway', () => {
    const escrowId = uniqueEscrowId('orggw', 'e2e');
    const route = `/v1/escrows/${escrowId}`;

    it('walks propose → accept → paid → ship → confirm → release, MarketA at its gateway, MarketB at its own', async () => {
      const created = await at('MarketA', 'marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
      expect(created.status, created.text).to.equal(201);
      const accepted = await at('MarketB', 'bea', 'POST', `${route}/accept`, {});
      expect(accepted.status, accepted.text).to.equal(200);
      // MarketA's backend asks its gateway for alice's payment; MarketA's payments service funds.
      const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
      expect(paid.delivery.status, paid.delivery.text).to.equal(200);
      const steps = [
        {
          org: 'MarketB',
          caller: 'bea',
          path: 'ship',
          body: { carrier: 'DHL', trackingRef: 'GW1' },
          state: 'SHIPPED',
        },
        { org: 'MarketA', caller: 'alice', path: 'confirm-delivery', body: undefined, state: 'DELIVERED' },
        { org: 'MarketA', caller: 'alice', path: 'release', body: {}, state: 'RELEASED' },
      ] as const;
      for (const step of steps) {
        const response = await at(step.org, step.caller, 'POST', `${route}/${step.path}`, step.body);
        expect(response.status, `${step.path} at ${step.org}: ${response.text}`).to.equal(200);
        expect((response.body['escrow'] as Record<string, unknown>)['state']).to.equal(step.state);
      }
    });

    it('lets each party and the overseers read it at their own gateway, and no one at another', async () => {
      for (const [org, caller] of [
        ['MarketA', 'alice'],
        ['MarketB', 'bea'],
        ['MarketB', 'marketb-backend'],
        ['Oversight', 'oscar'],
      ] as const) {
        const read = await at(org, caller, 'GET', route);
        expect(read.status, `${caller}: ${read.text}`).to.equal(200);
        expect(read.body['state']).to.equal('RELEASED');
      }
      expectProblem(await at('MarketA', 'bea', 'GET', route), 401, 'TOKEN_ISSUER_UNTRUSTED');
    });
  });
});
