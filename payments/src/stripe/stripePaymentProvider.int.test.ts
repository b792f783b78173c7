// The Stripe adapter against the real stripe-mock, which validates every request against Stripe's
// own API description and reflects the parameters of a POST into its answer.
import { ensureStripeMock, type StripeMockSession } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as net from 'node:net';
import { idempotencyKeyOf } from '../port/idempotencyKey';
import { ProviderRefusedError, ProviderUnavailableError } from '../port/paymentErrors';
import { readStripeConfig } from './stripeConfig';
import { StripePaymentProvider, type ProviderCallRecord } from './stripePaymentProvider';

describe('Stripe adapter against stripe-mock', function () {
  this.timeout(60_000);
  let stripeMock: StripeMockSession;
  let calls: ProviderCallRecord[];
  let provider: StripePaymentProvider;

  before(async () => {
    stripeMock = await ensureStripeMock();
  });
  after(async () => {
    await stripeMock.release();
  });
  beforeEach(() => {
    calls = [];
    provider = new StripePaymentProvider(readStripeConfig(stripeMock.env), (call) => calls.push(call));
  });

  it('creates a payment for an escrow and hands back the client secret, under the escrow key', async () => {
    const payment = await provider.createPayment({
      escrowId: 'esc-int-1',
      amountMinor: 12_500n,
      currency: 'EUR',
      marketplace: 'MarketA',
      buyer: 'alice',
    });
    expect(payment.paymentId).to.match(/^pi_/);
    expect(payment.clientSecret).to.be.a('string').and.not.be.empty;
    const key = idempotencyKeyOf({ escrowId: 'esc-int-1', payee: 'MarketA', kind: 'payment' });
    expect(payment.idempotencyKey).to.equal(key);
    expect(
      calls.map(({ method, path, status, idempotencyKey }) => ({ method, path, status, idempotencyKey })),
    ).to.deep.equal([{ method: 'POST', path: '/v1/payment_intents', status: 200, idempotencyKey: key }]);
  });

  it('refunds part of a payment, with the refund key of (escrow, buyer)', async () => {
    const refund = await provider.refund({
      escrowId: 'esc-int-2',
      paymentId: 'pi_int_2',
      payee: 'alice',
      amountMinor: 500n,
    });
    expect(refund.providerId).to.match(/^re_/);
    expect(refund).to.include({ escrowId: 'esc-int-2', amountMinor: 500n });
    const key = idempotencyKeyOf({ escrowId: 'esc-int-2', payee: 'alice', kind: 'refund' });
    expect(refund.idempotencyKey).to.equal(key);
    expect(calls.map((call) => [call.path, call.idempotencyKey])).to.deep.equal([['/v1/refunds', key]]);
  });

  it('refunds a whole payment when no amount is named', async () => {
    const refund = await provider.refund({ escrowId: 'esc-int-3', paymentId: 'pi_int_3', payee: 'bob' });
    expect(refund.providerId).to.match(/^re_/);
    expect(refund.amountMinor > 0n).to.equal(true);
    expect(calls[0]?.idempotencyKey).to.equal(
      idempotencyKeyOf({ escrowId: 'esc-int-3', payee: 'bob', kind: 'refund' }),
    );
  });

  it("transfers a payout to the seller's connected account, under the payout key of (escrow, account)", async () => {
    const payout = await provider.payOut({
      escrowId: 'esc-int-4',
      destinationAccount: 'acct_1SellerBea',
      amountMinor: 11_875n,
      currency: 'eur',
    });
    expect(payout.providerId).to.match(/^tr_/);
    expect(payout).to.include({ escrowId: 'esc-int-4', amountMinor: 11_875n, currency: 'EUR' });
    const key = idempotencyKeyOf({ escrowId: 'esc-int-4', payee: 'acct_1SellerBea', kind: 'payout' });
    expect(calls.map((call) => [call.method, call.path, call.idempotencyKey])).to.deep.equal([
      ['POST', '/v1/transfers', key],
    ]);
  });

  it('sends the same key again when the same movement is retried (a restarted worker)', async () => {
    const request = {
      escrowId: 'esc-int-5',
      destinationAccount: 'acct_1SellerAmir',
      amountMinor: 700n,
      currency: 'EUR',
    };
    await provider.payOut(request);
    await provider.payOut(request);
    expect(calls).to.have.length(2);
    expect(calls[0]?.idempotencyKey).to.be.a('string').and.equal(calls[1]?.idempotencyKey);
  });

  it('lists the payments, refunds and transfers of a period for reconciliation', async () => {
    const activity = await provider.listActivity({
      from: new Date(1_700_000_000_000),
      to: new Date(1_800_000_000_000),
    });
    expect(new Set(activity.map((line) => line.kind))).to.deep.equal(
      new Set(['payment', 'refund', 'transfer']),
    );
    for (const line of activity) {
      expect(line.providerId).to.be.a('string').and.not.be.empty;
      expect(typeof line.amountMinor).to.equal('bigint');
      expect(line.currency).to.match(/^[A-Z]{3}$/);
    }
    expect(calls.map((call) => call.path.split('?')[0]).sort()).to.deep.equal([
      '/v1/payment_intents',
      '/v1/refunds',
      '/v1/transfers',
    ]);
    // The period is the provider's filter: only what was created in it comes back.
    const periodQuery = 'created[gte]=1700000000&created[lt]=1800000000';
    expect(calls.every((call) => call.path.includes(periodQuery))).to.equal(true);
    expect(calls.every((call) => call.method === 'GET' && call.idempotencyKey === undefined)).to.equal(true);
  });

  it('turns a key the provider refuses into PAYMENT_PROVIDER_REFUSED', async () => {
    const refused = new StripePaymentProvider(
      readStripeConfig({ ...stripeMock.env, P2P_STRIPE_API_KEY: 'sk_live_notmock' }),
    );
    const error = await refused
      .createPayment({
        escrowId: 'esc-int-6',
        amountMinor: 100n,
        currency: 'EUR',
        marketplace: 'MarketA',
        buyer: 'alice',
      })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).to.be.instanceOf(ProviderRefusedError).with.property('code', 'PAYMENT_PROVIDER_REFUSED');
  });

  it('turns an unreachable provider into PAYMENT_PROVIDER_UNAVAILABLE (retryable)', async () => {
    const closedPort = await freePort();
    const unreachable = new StripePaymentProvider(
      readStripeConfig({
        ...stripeMock.env,
        P2P_STRIPE_PORT: String(closedPort),
        P2P_STRIPE_MAX_NETWORK_RETRIES: '0',
      }),
    );
    const error = await unreachable
      .payOut({ escrowId: 'esc-int-7', destinationAccount: 'acct_1X', amountMinor: 1n, currency: 'EUR' })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).to.be.instanceOf(ProviderUnavailableError).with.property('retryable', true);
  });
});

/** A loopback port nothing listens on: one the kernel handed out and was given back. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
