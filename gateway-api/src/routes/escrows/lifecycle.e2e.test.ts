// A cross-marketplace escrow from creation to settlement and reviews, through the gateway's HTTP API
// with real Keycloak tokens, every call made with the partner SDK (@p2p-escrow/client) as a partner's
// backend or app would: MarketA's backend proposes, bea (MarketB) accepts the terms, MarketA's
// backend asks for alice's payment and the provider's event funds it, bea ships, alice (MarketA)
// confirms and releases, MarketA's payments records the payout, both parties review each other.
import {
  ApiProblemError,
  committed,
  createGatewayClient,
  searchEscrows,
  unwrap,
  type components,
  type GatewayClient,
} from '@p2p-escrow/client';
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { expect } from 'chai';
import {
  createRequest,
  eventually,
  gatewayUrlOf,
  localRequestFetch,
  orgOfCaller,
  payThroughProvider,
  tokenOf,
  uniqueEscrowId,
  type Caller,
} from '@p2p-escrow/testkit';

/** The SDK as `caller`, at their own org's gateway, with their Keycloak token. */
function sdkAs(caller: Caller): GatewayClient {
  return createGatewayClient({
    baseUrl: gatewayUrlOf(orgOfCaller(caller)),
    auth: { token: () => tokenOf(caller) },
    fetch: localRequestFetch,
  });
}

describe('gateway e2e: cross-marketplace lifecycle (partner SDK)', function () {
  this.timeout(120_000);
  const escrowId = uniqueEscrowId('life', 'e2e');
  const path = { escrowId };
  const startedAt = new Date(Date.now() - 60_000).toISOString();
  const [backend, alice, bea] = [sdkAs('marketa-backend'), sdkAs('alice'), sdkAs('bea')];

  it('creates the escrow as MarketA’s backend (client credentials)', async () => {
    // The kit's request (alice@MarketA buys from bea@MarketB), as the SDK's typed body.
    const request = createRequest(escrowId) as components['schemas']['CreateEscrowRequest'];
    const result = await backend.POST('/v1/escrows', { body: request });
    const created = committed(result);
    expect(result.response.status).to.equal(201);
    expect(result.response.headers.get('location')).to.equal(`/v1/escrows/${escrowId}`);
    expect(created.transactionId).to.match(/^[0-9a-f]{64}$/);
    expect(created.blockNumber).to.match(/^\d+$/);
    expect(created.escrow).to.include({ escrowId, state: 'PROPOSED', amount: '12345', currency: 'EUR' });
  });

  it('walks accept → paid → ship → confirm delivery → release, each signed by its own actor', async () => {
    unwrap(await bea.POST('/v1/escrows/{escrowId}/accept', { params: { path }, body: {} }));
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    const shipped = committed(
      await bea.POST('/v1/escrows/{escrowId}/ship', {
        params: { path },
        body: { carrier: 'DHL', trackingRef: 'JD0001' },
      }),
    );
    expect(shipped.escrow.state).to.equal('SHIPPED');
    const delivered = committed(
      await alice.POST('/v1/escrows/{escrowId}/confirm-delivery', { params: { path } }),
    );
    expect(delivered.escrow.state).to.equal('DELIVERED');
    const released = committed(
      await alice.POST('/v1/escrows/{escrowId}/release', { params: { path }, body: {} }),
    );
    expect(released.escrow.state).to.equal('RELEASED');
    const read = unwrap(await alice.GET('/v1/escrows/{escrowId}', { params: { path } }));
    expect(read).to.include({ state: 'RELEASED', sellerPayout: '12037', fee: '308', buyerRefund: '0' });
  });

  it('records the payout settlement and both reviews', async () => {
    unwrap(
      await backend.POST('/v1/escrows/{escrowId}/settlements', {
        params: { path },
        body: { payee: 'seller', providerRef: 'payout-1' },
      }),
    );
    const review = { rating: 5, textHash: 'b'.repeat(64) };
    unwrap(await alice.POST('/v1/escrows/{escrowId}/reviews', { params: { path }, body: review }));
    unwrap(
      await bea.POST('/v1/escrows/{escrowId}/reviews', { params: { path }, body: { ...review, rating: 4 } }),
    );
    const again = await alice.POST('/v1/escrows/{escrowId}/reviews', {
      params: { path },
      body: { ...review, rating: 1 },
    });
    expect(() => unwrap(again))
      .to.throw(ApiProblemError)
      .that.includes({ status: 409, problemCode: 'ALREADY_REVIEWED' });
    const reputation = unwrap(
      await alice.GET('/v1/users/{marketplace}/{userId}/reputation', {
        params: { path: { marketplace: 'MarketB', userId: 'bea' } },
      }),
    );
    expect(reputation.reviewCount).to.be.greaterThan(0);
  });

  it('returns the full history with transaction ids and increasing block numbers', async () => {
    const { entries } = unwrap(await bea.GET('/v1/escrows/{escrowId}/history', { params: { path } }));
    expect(entries.map((entry) => entry.escrow?.state)).to.deep.equal([
      'PROPOSED',
      'CREATED',
      'FUNDED',
      'SHIPPED',
      'DELIVERED',
      'RELEASED',
      'RELEASED',
    ]);
    const blocks = entries.map((entry) => Number(entry.blockNumber));
    expect([...blocks].sort((a, b) => a - b)).to.deep.equal(blocks);
    // The create's submitter reads its status (a party's user may not: see transactionAccess).
    const status = unwrap(
      await backend.GET('/v1/transactions/{txId}', { params: { path: { txId: entries[0]?.txId ?? '' } } }),
    );
    expect(status).to.include({
      status: 'COMMITTED',
      validationCode: 'VALID',
      blockNumber: entries[0]?.blockNumber,
    });
  });

  it('finds the escrow in search for its buyer and for the seller’s marketplace', async () => {
    // Search reads the mirror's projection: wait until the mirror has applied the escrow's blocks.
    const searches = [
      { caller: 'alice', query: { party: { marketplace: 'MarketA', userId: 'alice' }, q: 'camera' } },
      { caller: 'marketb-backend', query: { party: { marketplace: 'MarketB' }, state: 'RELEASED' } },
    ] as const;
    for (const { caller, query } of searches) {
      const client = sdkAs(caller);
      await eventually(
        `${caller} to find ${escrowId}`,
        async () => {
          for await (const escrow of searchEscrows(client, {
            ...query,
            createdFrom: startedAt,
            pageSize: 100,
          }))
            if (escrow.escrowId === escrowId) return true;
          return undefined;
        },
        { intervalMs: 250 },
      );
    }
  });
});
