// A cross-marketplace escrow from creation to settlement and reviews, through the gateway's HTTP API
// with real Keycloak tokens: MarketA's backend proposes, bea (MarketB) accepts the terms, MarketA's
// backend asks for alice's payment and the provider's event funds it, bea ships, alice (MarketA) confirms and releases, MarketA's payments records the
// payout, both parties review each other.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { expect } from 'chai';
import { as, createRequest, payThroughProvider, uniqueEscrowId } from '@p2p-escrow/testkit';

describe('gateway e2e: cross-marketplace lifecycle', function () {
  this.timeout(120_000);
  const escrowId = uniqueEscrowId('life', 'e2e');
  const route = `/v1/escrows/${escrowId}`;
  const startedAt = new Date(Date.now() - 60_000).toISOString();

  it('creates the escrow as MarketA’s backend (client credentials)', async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    expect(created.headers.get('location')).to.equal(route);
    expect(created.body['transactionId']).to.match(/^[0-9a-f]{64}$/);
    expect(created.body['blockNumber']).to.match(/^\d+$/);
    const escrow = created.body['escrow'] as Record<string, unknown>;
    expect(escrow).to.include({ escrowId, state: 'PROPOSED', amount: '12345', currency: 'EUR' });
  });

  it('walks accept → paid → ship → confirm delivery → release, each signed by its own actor', async () => {
    const accepted = await as('bea', 'POST', `${route}/accept`, {});
    expect(accepted.status, accepted.text).to.equal(200);
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    const steps = [
      { caller: 'bea', path: 'ship', body: { carrier: 'DHL', trackingRef: 'JD0001' }, state: 'SHIPPED' },
      { caller: 'alice', path: 'confirm-delivery', body: undefined, state: 'DELIVERED' },
      { caller: 'alice', path: 'release', body: {}, state: 'RELEASED' },
    ] as const;
    for (const step of steps) {
      const response = await as(step.caller, 'POST', `${route}/${step.path}`, step.body);
      expect(response.status, `${step.path}: ${response.text}`).to.equal(200);
      expect((response.body['escrow'] as Record<string, unknown>)['state']).to.equal(step.state);
    }
    const released = await as('alice', 'GET', route);
    expect(released.body).to.include({
      state: 'RELEASED',
      sellerPayout: '12037',
      fee: '308',
      buyerRefund: '0',
    });
  });

  it('records the payout settlement and both reviews', async () => {
    const settled = await as('marketa-backend', 'POST', `${route}/settlements`, {
      payee: 'seller',
      providerRef: 'payout-1',
    });
    expect(settled.status, settled.text).to.equal(200);
    const hash = 'b'.repeat(64);
    const byBuyer = await as('alice', 'POST', `${route}/reviews`, { rating: 5, textHash: hash });
    expect(byBuyer.status, byBuyer.text).to.equal(201);
    const bySeller = await as('bea', 'POST', `${route}/reviews`, { rating: 4, textHash: hash });
    expect(bySeller.status, bySeller.text).to.equal(201);
    const again = await as('alice', 'POST', `${route}/reviews`, { rating: 1, textHash: hash });
    expect([again.status, again.body['code']]).to.deep.equal([409, 'ALREADY_REVIEWED']);
    const reputation = await as('alice', 'GET', '/v1/users/MarketB/bea/reputation');
    expect(reputation.status).to.equal(200);
    expect(reputation.body['reviewCount']).to.be.greaterThan(0);
  });

  it('returns the full history with transaction ids and increasing block numbers', async () => {
    const history = await as('bea', 'GET', `${route}/history`);
    expect(history.status, history.text).to.equal(200);
    const entries = history.body['entries'] as {
      txId: string;
      blockNumber: string;
      escrow: { state: string };
    }[];
    expect(entries.map((entry) => entry.escrow.state)).to.deep.equal([
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
    const status = await as('marketa-backend', 'GET', `/v1/transactions/${entries[0]?.txId ?? ''}`);
    expect(status.body).to.include({
      status: 'COMMITTED',
      validationCode: 'VALID',
      blockNumber: entries[0]?.blockNumber,
    });
  });

  it('finds the escrow in search for its buyer and for the seller’s marketplace', async () => {
    // Search reads the mirror's projection: poll until the mirror has applied the escrow's blocks.
    for (const [caller, query] of [
      ['alice', `marketplace=MarketA&userId=alice&q=camera&pageSize=100`],
      ['marketb-backend', `marketplace=MarketB&state=RELEASED&pageSize=100`],
    ] as const) {
      const deadline = Date.now() + 30_000;
      let found = false;
      while (!found) {
        const listed = await as(
          caller,
          'GET',
          `/v1/escrows?${query}&createdFrom=${encodeURIComponent(startedAt)}`,
        );
        expect(listed.status, listed.text).to.equal(200);
        found = (listed.body['records'] as { escrowId: string }[]).some(
          (record) => record.escrowId === escrowId,
        );
        if (!found && Date.now() > deadline) expect.fail(`${caller} did not find ${escrowId} with ${query}`);
        if (!found) await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });
});
