// A dispute resolved by the arbiter, who logs in with password and TOTP; the auditor (also TOTP) reads
// the history. Every arbiter and auditor action is an audit event in the gateway's log.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { expect } from 'chai';
import { as, createRequest, payThroughProvider, uniqueEscrowId } from '@p2p-escrow/testkit';

describe('gateway e2e: dispute resolved by the arbiter', function () {
  this.timeout(120_000);
  const escrowId = uniqueEscrowId('dispute', 'e2e');
  const route = `/v1/escrows/${escrowId}`;

  before(async () => {
    expect((await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId))).status).to.equal(
      201,
    );
    expect((await as('bea', 'POST', `${route}/accept`, {})).status).to.equal(200);
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    expect(
      (await as('bea', 'POST', `${route}/ship`, { carrier: 'UPS', trackingRef: '1Z999' })).status,
    ).to.equal(200);
  });

  it('lets the buyer open a dispute with evidence hashes', async () => {
    const evidence = ['1'.repeat(64), 'a'.repeat(64)];
    const disputed = await as('alice', 'POST', `${route}/dispute`, {
      reason: 'arrived broken',
      evidenceHashes: evidence,
    });
    expect(disputed.status, disputed.text).to.equal(200);
    const escrow = disputed.body['escrow'] as {
      state: string;
      dispute: { evidenceHashes: string[]; reason: string };
    };
    expect(escrow.state).to.equal('DISPUTED');
    expect(escrow.dispute.evidenceHashes).to.deep.equal(evidence);
  });

  it('refuses resolution by anyone but the arbiter', async () => {
    for (const caller of ['alice', 'bea', 'marketa-backend', 'oscar'] as const) {
      const refused = await as(caller, 'POST', `${route}/resolve`, { buyerRefund: '100' });
      expect([refused.status, refused.body['code']], caller).to.deep.equal([403, 'ROLE_REQUIRED']);
    }
  });

  it('resolves with the arbiter’s split (Oversight + buyer org endorse)', async () => {
    const resolved = await as('olivia', 'POST', `${route}/resolve`, { buyerRefund: '2345' });
    expect(resolved.status, resolved.text).to.equal(200);
    const escrow = resolved.body['escrow'] as Record<string, string>;
    // Fee 2.5 % of the seller's share only: floor(10000 × 250 / 10000) = 250.
    expect(escrow).to.include({ state: 'RESOLVED', buyerRefund: '2345', sellerPayout: '9750', fee: '250' });
    const again = await as('olivia', 'POST', `${route}/resolve`, { buyerRefund: '0' });
    expect([again.status, again.body['code']]).to.deep.equal([409, 'INVALID_STATE']);
  });

  it('lets the auditor read the history and list disputes by state', async () => {
    const history = await as('oscar', 'GET', `${route}/history`);
    expect(history.status, history.text).to.equal(200);
    const states = (history.body['entries'] as { escrow: { state: string } }[]).map(
      (entry) => entry.escrow.state,
    );
    // The settlement worker may already have recorded the refund and the payout: RESOLVED versions too.
    expect(states.slice(0, 6)).to.deep.equal([
      'PROPOSED',
      'CREATED',
      'FUNDED',
      'SHIPPED',
      'DISPUTED',
      'RESOLVED',
    ]);
    expect(states.slice(6).filter((state) => state !== 'RESOLVED')).to.deep.equal([]);
    const resolvedList = await as('oscar', 'GET', '/v1/escrows?state=RESOLVED&pageSize=10');
    expect(resolvedList.status, resolvedList.text).to.equal(200);
  });
});
