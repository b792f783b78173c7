// Funding follows a verified payment, on the live stack: MarketA's backend asks its gateway for the
// payment of an accepted escrow (the real stripe-mock opens it), and the provider's event, signed with
// the real endpoint secret by the SDK (stripe-mock sends no webhooks), reaches MarketA's payments
// service, which funds the escrow as MarketA's payments identity. Every bad delivery changes nothing.
import {
  as,
  createRequest,
  deliverProviderEvent,
  eventually,
  localFetch,
  paymentsServiceUrl,
  payThroughProvider,
  providerWebhookSecret,
  requireFabricNetwork,
  stackStateDir,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { paymentSucceededDelivery, type PaymentSucceededSpec } from '../stripe/stripeTestDeliveries';
import { FUNDING_SECURITY_EVENT } from './fundingRefusals';

async function acceptedEscrow(purpose: string): Promise<string> {
  const escrowId = uniqueEscrowId(purpose, 'e2e');
  const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
  expect(created.status, created.text).to.equal(201);
  const accepted = await as('bea', 'POST', `/v1/escrows/${escrowId}/accept`, {});
  expect(accepted.status, accepted.text).to.equal(200);
  return escrowId;
}

async function escrowOf(escrowId: string): Promise<Record<string, unknown>> {
  return (await as('marketa-backend', 'GET', `/v1/escrows/${escrowId}`)).body;
}

async function historyLength(escrowId: string): Promise<number> {
  const history = await as('oscar', 'GET', `/v1/escrows/${escrowId}/history`);
  return (history.body['entries'] as unknown[]).length;
}

const deliver = (spec: PaymentSucceededSpec, secret = providerWebhookSecret()) =>
  deliverProviderEvent('MarketA', paymentSucceededDelivery(spec, secret));

describe('funding follows a verified payment (live: gateway, stripe-mock, payments service, ledger)', function () {
  this.timeout(180_000);

  before(async () => {
    await requireFabricNetwork();
  });

  it("opens the provider's payment for an accepted escrow and funds it on the provider's signed event", async () => {
    const escrowId = await acceptedEscrow('pay');
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery);
    expect(paid.payment.status, paid.payment.text).to.equal(201);
    expect(paid.payment.body).to.include({ escrowId, amount: '12345', currency: 'EUR' });
    expect(paid.paymentId).to.match(/^pi_/);
    expect(paid.payment.body['clientSecret']).to.be.a('string').and.not.be.empty;
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    expect(paid.delivery.body).to.include({ status: 'funded', escrowId, paymentId: paid.paymentId });
    const escrow = await escrowOf(escrowId);
    expect(escrow['state']).to.equal('FUNDED');
    expect(escrow['funding']).to.deep.include({ providerRef: paid.paymentId });
    expect((escrow['funding'] as { fundedBy: unknown })['fundedBy']).to.deep.include({
      organization: 'MarketA',
      role: 'payments',
      userId: 'marketa-payments',
    });

    const again = await as('marketa-backend', 'POST', `/v1/escrows/${escrowId}/payment`, {});
    expect([again.status, again.body['code']], again.text).to.deep.equal([409, 'ESCROW_ALREADY_FUNDED']);
  });

  it('funds once when the same event is delivered twice, and when five deliveries arrive at once', async () => {
    const escrowId = await acceptedEscrow('pay-dup');
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery);
    expect(paid.delivery.body['status']).to.equal('funded');
    const repeated = await deliverProviderEvent('MarketA', paid.event);
    expect([repeated.status, repeated.body['status']], repeated.text).to.deep.equal([200, 'duplicate']);

    const burstId = await acceptedEscrow('pay-burst');
    const payment = await as('marketa-backend', 'POST', `/v1/escrows/${burstId}/payment`, {});
    const event = paymentSucceededDelivery(
      {
        paymentId: String(payment.body['paymentId']),
        escrowId: burstId,
        amountMinor: 12_345n,
        currency: 'EUR',
      },
      providerWebhookSecret(),
    );
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => deliverProviderEvent('MarketA', event)),
    );
    expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(answers.map((answer) => answer.body['status']).sort()).to.deep.equal([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'funded',
    ]);
    // PROPOSED, CREATED, FUNDED: one funding each.
    expect(await historyLength(escrowId)).to.equal(3);
    expect(await historyLength(burstId)).to.equal(3);
  });

  describe('refusals, each a security event that changes nothing', () => {
    let escrowId: string;
    let paymentId: string;
    const now = () => Math.floor(Date.now() / 1000);

    before(async () => {
      escrowId = await acceptedEscrow('pay-refused');
      const payment = await as('marketa-backend', 'POST', `/v1/escrows/${escrowId}/payment`, {});
      expect(payment.status, payment.text).to.equal(201);
      paymentId = String(payment.body['paymentId']);
    });

    const cases: [string, () => Promise<Awaited<ReturnType<typeof deliver>>>, number, string][] = [
      [
        'a forged signature',
        () => deliver({ paymentId, escrowId, amountMinor: 12_345n, currency: 'EUR' }, 'whsec_forged'),
        400,
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      [
        'a wrong amount',
        () => deliver({ paymentId, escrowId, amountMinor: 1n, currency: 'EUR' }),
        422,
        'FUNDING_AMOUNT_MISMATCH',
      ],
      [
        'a wrong currency',
        () => deliver({ paymentId, escrowId, amountMinor: 12_345n, currency: 'USD' }),
        422,
        'FUNDING_CURRENCY_MISMATCH',
      ],
      [
        'an unknown escrow',
        () =>
          deliver({
            paymentId,
            escrowId: uniqueEscrowId('nope', 'e2e'),
            amountMinor: 12_345n,
            currency: 'EUR',
          }),
        422,
        'FUNDING_ESCROW_UNKNOWN',
      ],
      [
        'a replayed old event (stale timestamp)',
        () =>
          deliver({
            paymentId,
            escrowId,
            amountMinor: 12_345n,
            currency: 'EUR',
            createdSeconds: now() - 3600,
          }),
        400,
        'WEBHOOK_TIMESTAMP_STALE',
      ],
    ];
    for (const [what, attempt, status, code] of cases)
      it(`refuses ${what} with ${String(status)} ${code}`, async () => {
        const answer = await attempt();
        expect([answer.status, answer.body['code']], answer.text).to.deep.equal([status, code]);
        expect(answer.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect((await escrowOf(escrowId))['state']).to.equal('CREATED');
      });

    it('logged every refusal under its security event name and counted it by code', async () => {
      const log = path.join(stackStateDir, 'logs', 'payments-marketa.log');
      const refusals = await eventually('the refusals in the log', () => {
        const codes = fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line.includes(FUNDING_SECURITY_EVENT) && line.includes(escrowId))
          .map((line) => (JSON.parse(line) as { code: string }).code);
        return codes.length >= 2 ? codes : undefined;
      });
      // Signature refusals come before the body is read: they are counted, but name no escrow.
      expect(refusals).to.include.members(['FUNDING_AMOUNT_MISMATCH', 'FUNDING_CURRENCY_MISMATCH']);
      const metrics = await (await localFetch(`${paymentsServiceUrl('MarketA')}/metrics`)).text();
      for (const code of ['WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_TIMESTAMP_STALE', 'FUNDING_AMOUNT_MISMATCH'])
        expect(metrics).to.match(new RegExp(`p2p_payments_webhook_refusals_total\\{code="${code}"\\} [1-9]`));
      expect(await historyLength(escrowId)).to.equal(2);
    });
  });

  it("refuses the seller's marketplace asking for the buyer's payment, and an escrow not yet accepted", async () => {
    const escrowId = uniqueEscrowId('pay-early', 'e2e');
    expect((await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId))).status).to.equal(
      201,
    );
    const early = await as('marketa-backend', 'POST', `/v1/escrows/${escrowId}/payment`, {});
    expect([early.status, early.body['code']], early.text).to.deep.equal([409, 'ESCROW_NOT_ACCEPTED']);
    const seller = await as('marketb-backend', 'POST', `/v1/escrows/${escrowId}/payment`, {});
    expect([seller.status, seller.body['code']], seller.text).to.deep.equal([
      403,
      'PAYMENT_NOT_BUYER_MARKETPLACE',
    ]);
  });
});
