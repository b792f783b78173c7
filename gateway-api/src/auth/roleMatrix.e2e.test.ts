// Every role refused where it must be: endpoints × callers (roles and marketplaces) on one
// cross-marketplace escrow (buyer alice@MarketA, seller bea@MarketB), plus the 401s of bad tokens.
import { expect } from 'chai';
import {
  as,
  call,
  createRequest,
  gatewayUrl,
  localFetch,
  tokenOf,
  uniqueEscrowId,
  wrongAudienceToken,
  type Caller,
} from '@p2p-escrow/testkit';

interface Refusal {
  readonly caller: Caller;
  readonly status: number;
  readonly code: string;
}

describe('gateway e2e: role matrix', function () {
  this.timeout(180_000);
  const escrowId = uniqueEscrowId('matrix', 'e2e');
  const route = `/v1/escrows/${escrowId}`;

  before(async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    const accepted = await as('bea', 'POST', `${route}/accept`, {});
    expect(accepted.status, accepted.text).to.equal(200);
  });

  const role = (caller: Caller): Refusal => ({ caller, status: 403, code: 'ROLE_REQUIRED' });
  const notVisible = (caller: Caller): Refusal => ({ caller, status: 403, code: 'ESCROW_ACCESS_DENIED' });
  const chaincode = (caller: Caller): Refusal => ({ caller, status: 403, code: 'FORBIDDEN_ACTOR' });

  const matrix: { method: 'GET' | 'POST'; path: string; body?: unknown; refusals: Refusal[] }[] = [
    {
      method: 'POST',
      path: '/v1/escrows',
      body: createRequest(uniqueEscrowId('matrix-new', 'e2e')),
      refusals: [role('alice'), role('bea'), role('olivia'), role('oscar')],
    },
    {
      method: 'POST',
      path: '/v1/escrows',
      // MarketB's backend may not open an escrow between two MarketA users.
      body: createRequest(uniqueEscrowId('matrix-foreign', 'e2e'), {
        seller: { marketplace: 'MarketA', userId: 'amir' },
      }),
      refusals: [chaincode('marketb-backend')],
    },
    { method: 'GET', path: route, refusals: [notVisible('bob'), notVisible('amir')] },
    { method: 'GET', path: `${route}/history`, refusals: [notVisible('bob'), notVisible('amir')] },
    {
      method: 'POST',
      path: `${route}/accept`,
      refusals: [role('olivia'), role('oscar'), notVisible('amir'), notVisible('bob')],
    },
    {
      method: 'POST',
      path: `${route}/decline`,
      refusals: [role('olivia'), role('oscar'), notVisible('amir'), notVisible('bob')],
    },
    {
      method: 'POST',
      path: `${route}/payment`,
      body: {},
      // Only the buyer's marketplace collects the buyer's money; the seller's may not ask for it.
      refusals: [
        role('alice'),
        role('bea'),
        role('olivia'),
        role('oscar'),
        { caller: 'marketb-backend', status: 403, code: 'PAYMENT_NOT_BUYER_MARKETPLACE' },
      ],
    },
    {
      method: 'POST',
      path: `${route}/fund`,
      body: { amount: '12345', currency: 'EUR', providerRef: 'psp-m' },
      // No one funds through the gateway: only the payments service, on a verified provider event.
      refusals: [
        { caller: 'marketa-backend', status: 404, code: 'ROUTE_NOT_FOUND' },
        { caller: 'alice', status: 404, code: 'ROUTE_NOT_FOUND' },
      ],
    },
    {
      method: 'POST',
      path: `${route}/ship`,
      body: { carrier: 'DHL', trackingRef: 'X1' },
      refusals: [role('alice'), role('marketa-backend'), role('olivia'), notVisible('amir')],
    },
    {
      method: 'POST',
      path: `${route}/confirm-delivery`,
      refusals: [role('bea'), role('marketb-backend'), role('oscar'), notVisible('bob')],
    },
    {
      method: 'POST',
      path: `${route}/dispute`,
      body: { reason: 'x', evidenceHashes: [] },
      refusals: [role('bea'), role('marketa-backend'), role('olivia'), notVisible('bob')],
    },
    {
      method: 'POST',
      path: `${route}/resolve`,
      body: { buyerRefund: '0' },
      refusals: [role('alice'), role('bea'), role('marketa-backend'), role('marketb-backend'), role('oscar')],
    },
    {
      method: 'POST',
      path: `${route}/claim-refund`,
      refusals: [role('bea'), role('marketa-backend'), role('olivia')],
    },
    {
      method: 'POST',
      path: `${route}/settlements`,
      body: { payee: 'seller', providerRef: 'p-1' },
      refusals: [role('alice'), role('bea'), role('olivia'), role('oscar')],
    },
    {
      method: 'POST',
      path: `${route}/cancel`,
      refusals: [role('olivia'), role('oscar'), notVisible('amir'), notVisible('bob')],
    },
    {
      method: 'POST',
      path: `${route}/reviews`,
      body: { rating: 5, textHash: 'c'.repeat(64) },
      refusals: [role('marketa-backend'), role('olivia'), notVisible('amir')],
    },
  ];

  for (const entry of matrix) {
    for (const refusal of entry.refusals) {
      it(`${entry.method} ${entry.path.replace(escrowId, '{id}')} as ${refusal.caller} → ${String(refusal.status)} ${refusal.code}`, async () => {
        const response = await as(refusal.caller, entry.method, entry.path, entry.body);
        expect(response.status, response.text).to.equal(refusal.status);
        expect(response.body['code']).to.equal(refusal.code);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      });
    }
  }

  it('leaves the escrow untouched by every refusal', async () => {
    const escrow = await as('alice', 'GET', route);
    expect(escrow.body['state']).to.equal('CREATED');
    const history = await as('oscar', 'GET', `${route}/history`);
    expect((history.body['entries'] as unknown[]).length).to.equal(2);
  });

  describe('tokens', () => {
    it('401 TOKEN_MISSING without a bearer token', async () => {
      const response = await call('GET', route);
      expect([response.status, response.body['code']]).to.deep.equal([401, 'TOKEN_MISSING']);
    });

    it('401 TOKEN_INVALID for a forged signature', async () => {
      const [header, payload] = (await tokenOf('alice')).split('.');
      const forged = `${header ?? ''}.${payload ?? ''}.${Buffer.from('not the realm key').toString('base64url')}`;
      const response = await call('GET', route, undefined, { token: forged });
      expect([response.status, response.body['code']]).to.deep.equal([401, 'TOKEN_INVALID']);
    });

    it('401 TOKEN_INVALID for a forged payload (claims changed, signature kept)', async () => {
      const [header, payload, signature] = (await tokenOf('alice')).split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      claims['realm_access'] = { roles: ['arbiter'] };
      const tampered = `${header ?? ''}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature ?? ''}`;
      const response = await call('POST', `${route}/resolve`, { buyerRefund: '0' }, { token: tampered });
      expect([response.status, response.body['code']]).to.deep.equal([401, 'TOKEN_INVALID']);
    });

    it('401 TOKEN_INVALID for a real realm token issued without the gateway audience', async () => {
      const response = await call('GET', route, undefined, { token: await wrongAudienceToken() });
      expect([response.status, response.body['code']]).to.deep.equal([401, 'TOKEN_INVALID']);
      expect(response.body['detail']).to.contain('aud');
    });

    it('401 for a malformed Authorization header', async () => {
      const response = await localFetch(`${gatewayUrl}${route}`, {
        headers: { authorization: 'Basic YWxpY2U6cHc=' },
      });
      expect(response.status).to.equal(401);
    });
  });
});
