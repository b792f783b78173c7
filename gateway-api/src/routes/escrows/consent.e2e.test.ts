// Terms need both parties' consent, through the gateway: MarketA's backend proposes alice's purchase
// from bea (MarketB); nobody can fund it, and nobody on MarketA's side can accept it, until bea or
// MarketB's backend acting for her accepts. A declined proposal can never be reviewed.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { expect } from 'chai';
import { as, createRequest, newKey, payThroughProvider, uniqueEscrowId } from '@p2p-escrow/testkit';

function escrowOf(body: Record<string, unknown>): Record<string, unknown> {
  return body['escrow'] as Record<string, unknown>;
}

describe('gateway e2e: accepting and declining proposed terms', function () {
  this.timeout(120_000);

  it('refuses funding and the creator side’s acceptance, then accepts for the counterparty (idempotently) and funds', async () => {
    const escrowId = uniqueEscrowId('consent', 'e2e');
    const route = `/v1/escrows/${escrowId}`;
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    expect(escrowOf(created.body)).to.include({ state: 'PROPOSED', acceptance: null });

    const early = await as('marketa-backend', 'POST', `${route}/payment`, {});
    expect([early.status, early.body['code']], early.text).to.deep.equal([409, 'ESCROW_NOT_ACCEPTED']);
    expect(early.headers.get('content-type')).to.match(/^application\/problem\+json/);
    for (const creatorSide of ['marketa-backend', 'alice'] as const) {
      const refused = await as(creatorSide, 'POST', `${route}/accept`, {});
      expect([refused.status, refused.body['code']], refused.text).to.deep.equal([403, 'FORBIDDEN_ACTOR']);
    }

    const idempotencyKey = newKey();
    const accepted = await as('marketb-backend', 'POST', `${route}/accept`, {}, { idempotencyKey });
    expect(accepted.status, accepted.text).to.equal(200);
    const escrow = escrowOf(accepted.body);
    expect(escrow['state']).to.equal('CREATED');
    expect((escrow['acceptance'] as { acceptedBy: Record<string, unknown> }).acceptedBy).to.include({
      organization: 'MarketB',
      role: 'marketplace',
    });
    const replay = await as('marketb-backend', 'POST', `${route}/accept`, {}, { idempotencyKey });
    expect([replay.status, replay.body['transactionId']]).to.deep.equal([
      200,
      accepted.body['transactionId'],
    ]);
    const again = await as('bea', 'POST', `${route}/accept`, {});
    expect([again.status, again.body['code']], again.text).to.deep.equal([409, 'INVALID_STATE']);

    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery);
    expect([paid.delivery.status, paid.delivery.body['status']], paid.delivery.text).to.deep.equal([
      200,
      'funded',
    ]);
    expect((await as('alice', 'GET', route)).body['state']).to.equal('FUNDED');
  });

  it('lets the counterparty decline, which ends the escrow and leaves nothing to review', async () => {
    const escrowId = uniqueEscrowId('decline', 'e2e');
    const route = `/v1/escrows/${escrowId}`;
    expect((await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId))).status).to.equal(
      201,
    );
    const declined = await as('bea', 'POST', `${route}/decline`, {});
    expect(declined.status, declined.text).to.equal(200);
    expect(escrowOf(declined.body)).to.include({ state: 'CANCELLED', fundedAmount: '0' });
    const review = await as('alice', 'POST', `${route}/reviews`, { rating: 1, textHash: 'd'.repeat(64) });
    expect([review.status, review.body['code']], review.text).to.deep.equal([409, 'NOT_ACCEPTED']);
    const late = await as('bea', 'POST', `${route}/accept`, {});
    expect([late.status, late.body['code']], late.text).to.deep.equal([409, 'INVALID_STATE']);
  });
});
