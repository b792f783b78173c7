// Items and milestones through the gateway, as a partner uses them: a three-milestone escrow with
// one item disputed and resolved by the arbiter while the others are released, a disputed item the
// parties settle themselves by an accepted counter-offer, then a reject-and-return of one item of
// another escrow, the search by item state, and who may not expire an item's delivery.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { expect } from 'chai';
import { as, createRequest, payThroughProvider, uniqueEscrowId } from '@p2p-escrow/testkit';

interface ItemView {
  readonly state: string;
  readonly buyerRefund: string;
  readonly sellerPayout: string;
  readonly fee: string;
  readonly offers?: readonly { offeredBy: string; buyerRefund: string; status: string }[];
}

async function fundedEscrow(purpose: string, items: readonly { description: string; price: string }[]) {
  const escrowId = uniqueEscrowId(purpose, 'e2e');
  const amount = items.reduce((total, item) => total + BigInt(item.price), 0n).toString();
  const created = await as(
    'marketa-backend',
    'POST',
    '/v1/escrows',
    createRequest(escrowId, { items, amount }),
  );
  expect(created.status, created.text).to.equal(201);
  expect((await as('bea', 'POST', `/v1/escrows/${escrowId}/accept`, {})).status).to.equal(200);
  const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
  expect(paid.delivery.status, paid.delivery.text).to.equal(200);
  return `/v1/escrows/${escrowId}`;
}

function itemsOf(body: Record<string, unknown>): ItemView[] {
  return (body['escrow'] as { itemLifecycles: ItemView[] | null }).itemLifecycles ?? [];
}

describe('gateway e2e: items and milestones', function () {
  this.timeout(240_000);

  it('releases two milestones, and the arbiter resolves the third, disputed one', async () => {
    const route = await fundedEscrow('milestones', [
      { description: 'Design', price: '5000' },
      { description: 'Build', price: '4000' },
      { description: 'Handover', price: '3345' },
    ]);
    for (const item of [0, 1, 2]) {
      const shipped = await as('bea', 'POST', `${route}/items/${item}/ship`, {
        carrier: 'DHL',
        trackingRef: `T${item}`,
      });
      expect(shipped.status, shipped.text).to.equal(200);
      expect((await as('alice', 'POST', `${route}/items/${item}/confirm-delivery`, {})).status).to.equal(200);
    }
    const refused = await as('bea', 'POST', `${route}/items/1/dispute`, { reason: 'x', evidenceHashes: [] });
    expect([refused.status, refused.body['code']]).to.deep.equal([403, 'ROLE_REQUIRED']);
    const disputed = await as('alice', 'POST', `${route}/items/1/dispute`, {
      reason: 'cracked',
      evidenceHashes: [],
    });
    expect(disputed.status, disputed.text).to.equal(200);
    expect((disputed.body['escrow'] as { state: string }).state).to.equal('DISPUTED');
    const search = await as('marketa-backend', 'GET', '/v1/escrows?itemState=DISPUTED&pageSize=100');
    expect(search.status, search.text).to.equal(200);
    for (const item of [0, 2])
      expect((await as('alice', 'POST', `${route}/items/${item}/release`, {})).status).to.equal(200);
    const missing = await as('alice', 'POST', `${route}/items/7/release`, {});
    expect([missing.status, missing.body['code']]).to.deep.equal([404, 'ITEM_NOT_FOUND']);
    const resolved = await as('olivia', 'POST', `${route}/items/1/resolve`, { buyerRefund: '1000' });
    expect(resolved.status, resolved.text).to.equal(200);
    expect(resolved.body['escrow']).to.include({
      state: 'RESOLVED',
      buyerRefund: '1000',
      sellerPayout: '11062',
      fee: '283',
    });
    expect(itemsOf(resolved.body).map((item) => item.state)).to.deep.equal([
      'RELEASED',
      'RESOLVED',
      'RELEASED',
    ]);
    const whole = await as('bea', 'POST', `${route}/ship`, { carrier: 'DHL', trackingRef: 'again' });
    expect([whole.status, whole.body['code']]).to.deep.equal([409, 'INVALID_STATE']);
  });

  it('settles a disputed item at the counter-offer the seller accepts, with no arbiter', async () => {
    const route = await fundedEscrow('item-offer', [
      { description: 'Lamp', price: '8000' },
      { description: 'Shade', price: '4345' },
    ]);
    expect(
      (await as('bea', 'POST', `${route}/items/0/ship`, { carrier: 'DHL', trackingRef: 'L1' })).status,
    ).to.equal(200);
    expect((await as('alice', 'POST', `${route}/items/0/confirm-delivery`, {})).status).to.equal(200);
    const disputed = await as('alice', 'POST', `${route}/items/0/dispute`, {
      reason: 'dented',
      evidenceHashes: [],
    });
    expect(disputed.status, disputed.text).to.equal(200);
    const offered = await as('bea', 'POST', `${route}/items/0/offers`, { buyerRefund: '2000' });
    expect(offered.status, offered.text).to.equal(200);
    // Neither a marketplace backend nor the arbiter negotiates for the parties.
    for (const caller of ['marketa-backend', 'olivia'] as const) {
      const refused = await as(caller, 'POST', `${route}/items/0/offers`, { buyerRefund: '1' });
      expect([refused.status, refused.body['code']], caller).to.deep.equal([403, 'ROLE_REQUIRED']);
    }
    const countered = await as('alice', 'POST', `${route}/items/0/offers`, { buyerRefund: '3000' });
    expect(countered.status, countered.text).to.equal(200);
    const own = await as('alice', 'POST', `${route}/items/0/offers/accept`, {});
    expect([own.status, own.body['code']]).to.deep.equal([403, 'FORBIDDEN_ACTOR']);
    const arbiterView = await as('olivia', 'GET', route);
    expect(arbiterView.status, arbiterView.text).to.equal(200);
    const seen = (arbiterView.body as { itemLifecycles: ItemView[] }).itemLifecycles[0]?.offers ?? [];
    expect(seen.map((offer) => [offer.offeredBy, offer.buyerRefund, offer.status])).to.deep.equal([
      ['seller', '2000', 'countered'],
      ['buyer', '3000', 'open'],
    ]);
    const accepted = await as('bea', 'POST', `${route}/items/0/offers/accept`, {});
    expect(accepted.status, accepted.text).to.equal(200);
    // The seller's share 5000 bears the whole fee: 2.5 % of it.
    expect(itemsOf(accepted.body)[0]).to.include({
      state: 'RESOLVED',
      buyerRefund: '3000',
      sellerPayout: '4875',
      fee: '125',
    });
    expect((accepted.body['escrow'] as { state: string }).state).to.equal('FUNDED');
    const again = await as('alice', 'POST', `${route}/items/0/offers/decline`, {});
    expect([again.status, again.body['code']]).to.deep.equal([409, 'INVALID_STATE']);
  });

  it('refunds a rejected item the buyer sent back and the seller received', async () => {
    const route = await fundedEscrow('return', [
      { description: 'Jacket', price: '8230' },
      { description: 'Scarf', price: '4115' },
    ]);
    expect(
      (await as('bea', 'POST', `${route}/items/0/ship`, { carrier: 'DHL', trackingRef: 'J1' })).status,
    ).to.equal(200);
    expect((await as('alice', 'POST', `${route}/items/0/confirm-delivery`, {})).status).to.equal(200);
    const rejected = await as('alice', 'POST', `${route}/items/0/reject`, { reason: 'wrong size' });
    expect(rejected.status, rejected.text).to.equal(200);
    expect(itemsOf(rejected.body)[0]?.state).to.equal('REJECTED');
    const addressed = await as('bea', 'POST', `${route}/items/0/return-address`, {
      address: '9 Return Rd, Lyon',
    });
    expect(addressed.status, addressed.text).to.equal(200);
    expect(addressed.text).not.to.contain('Return Rd');
    const shipped = await as('alice', 'POST', `${route}/items/0/return-shipment`, {
      carrier: 'UPS',
      trackingRef: 'R1',
    });
    expect(shipped.status, shipped.text).to.equal(200);
    const notBuyer = await as('alice', 'POST', `${route}/items/0/confirm-return`, {});
    expect([notBuyer.status, notBuyer.body['code']]).to.deep.equal([403, 'ROLE_REQUIRED']);
    const refunded = await as('bea', 'POST', `${route}/items/0/confirm-return`, {});
    expect(refunded.status, refunded.text).to.equal(200);
    expect(itemsOf(refunded.body)[0]).to.include({ state: 'REFUNDED', buyerRefund: '8230' });
    expect((refunded.body['escrow'] as { state: string }).state).to.equal('FUNDED');
  });

  it('refuses to expire an item’s delivery before its deliver-by, an unshipped item’s, or for a role without it', async () => {
    const route = await fundedEscrow('item-delivery', [
      { description: 'Lens', price: '8230' },
      { description: 'Cap', price: '4115' },
    ]);
    const shipped = await as('bea', 'POST', `${route}/items/0/ship`, { carrier: 'DHL', trackingRef: 'L1' });
    expect(shipped.status, shipped.text).to.equal(200);
    const early = await as('alice', 'POST', `${route}/items/0/expire-delivery`, {});
    expect([early.status, early.body['code']]).to.deep.equal([422, 'DEADLINE_NOT_REACHED']);
    const unshipped = await as('marketa-backend', 'POST', `${route}/items/1/expire-delivery`, {});
    expect([unshipped.status, unshipped.body['code']]).to.deep.equal([409, 'INVALID_STATE']);
    const arbiter = await as('olivia', 'POST', `${route}/items/0/expire-delivery`, {});
    expect([arbiter.status, arbiter.body['code']]).to.deep.equal([403, 'ROLE_REQUIRED']);
  });
});
