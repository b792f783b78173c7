import { expect } from 'chai';
import Stripe from 'stripe';
import type { EventVerification } from '../port/paymentProvider';
import { readStripeConfig } from './stripeConfig';
import { StripePaymentProvider } from './stripePaymentProvider';

const secret = 'whsec_unit_test_endpoint_secret';
const toleranceSeconds = 300;
// Verification needs no provider: nothing here is sent anywhere.
const provider = new StripePaymentProvider(
  readStripeConfig({
    P2P_STRIPE_API_KEY: 'sk_test_unit',
    P2P_STRIPE_HOST: '127.0.0.1',
    P2P_STRIPE_PORT: '9',
    P2P_STRIPE_PROTOCOL: 'http',
    P2P_STRIPE_WEBHOOK_SECRET: secret,
    P2P_STRIPE_WEBHOOK_TOLERANCE_SECONDS: String(toleranceSeconds),
  }),
);

function paymentIntentEvent(type: string, object: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type,
    created: 1_790_000_000,
    api_version: '2026-10-28.endive',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
}

const succeeded = paymentIntentEvent('payment_intent.succeeded', {
  id: 'pi_123',
  object: 'payment_intent',
  amount: 12_500,
  currency: 'eur',
  metadata: { escrow_id: 'esc-42', marketplace: 'MarketA', buyer: 'alice' },
});

function signed(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? secret,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
}

function refusalCode(verification: EventVerification): string | undefined {
  return verification.accepted ? undefined : verification.refusal.code;
}

describe('Stripe webhook verification', () => {
  it('accepts a delivery signed with the endpoint secret and reads the payment', () => {
    const verification = provider.verifyEvent(succeeded, signed(succeeded));
    expect(verification).to.deep.equal({
      accepted: true,
      event: {
        kind: 'payment.succeeded',
        eventId: 'evt_1',
        createdAt: new Date(1_790_000_000_000),
        paymentId: 'pi_123',
        escrowId: 'esc-42',
        amountMinor: 12_500n,
        currency: 'EUR',
      },
    });
  });

  it('accepts the raw body as bytes, as an HTTP server hands it over', () => {
    const verification = provider.verifyEvent(Buffer.from(succeeded), signed(succeeded));
    expect(verification.accepted).to.equal(true);
  });

  it('reads a failed payment, and keeps an event it does not act on as `other`', () => {
    const failed = paymentIntentEvent('payment_intent.payment_failed', {
      id: 'pi_9',
      amount: 100,
      currency: 'usd',
      metadata: {},
    });
    const failedVerification = provider.verifyEvent(failed, signed(failed));
    expect(failedVerification.accepted && failedVerification.event).to.include({
      kind: 'payment.failed',
      escrowId: undefined,
    });
    const other = paymentIntentEvent('charge.updated', { id: 'ch_1' });
    const otherVerification = provider.verifyEvent(other, signed(other));
    expect(otherVerification.accepted && otherVerification.event).to.include({
      kind: 'other',
      providerType: 'charge.updated',
    });
  });

  it('refuses a forged signature (the body changed after signing) as WEBHOOK_SIGNATURE_INVALID', () => {
    const header = signed(succeeded);
    const forged = succeeded.replace('12500', '99999');
    expect(refusalCode(provider.verifyEvent(forged, header))).to.equal('WEBHOOK_SIGNATURE_INVALID');
  });

  it('refuses a delivery signed with another secret as WEBHOOK_SIGNATURE_INVALID', () => {
    const header = signed(succeeded, { secret: 'whsec_someone_else' });
    expect(refusalCode(provider.verifyEvent(succeeded, header))).to.equal('WEBHOOK_SIGNATURE_INVALID');
  });

  it('refuses a correctly signed but stale delivery (a replay) as WEBHOOK_TIMESTAMP_STALE', () => {
    const longAgo = Math.floor(Date.now() / 1000) - toleranceSeconds - 60;
    const header = signed(succeeded, { timestamp: longAgo });
    expect(refusalCode(provider.verifyEvent(succeeded, header))).to.equal('WEBHOOK_TIMESTAMP_STALE');
  });

  it('accepts a delivery signed within the tolerance', () => {
    const recent = Math.floor(Date.now() / 1000) - toleranceSeconds + 30;
    expect(provider.verifyEvent(succeeded, signed(succeeded, { timestamp: recent })).accepted).to.equal(true);
  });

  it('refuses a missing or unreadable signature header as WEBHOOK_SIGNATURE_MISSING', () => {
    expect(refusalCode(provider.verifyEvent(succeeded, undefined))).to.equal('WEBHOOK_SIGNATURE_MISSING');
    expect(refusalCode(provider.verifyEvent(succeeded, 'garbage'))).to.equal('WEBHOOK_SIGNATURE_MISSING');
  });

  it('refuses a signed body that is not an event, or a payment without its fields, as WEBHOOK_PAYLOAD_INVALID', () => {
    const notJson = 'not json';
    expect(refusalCode(provider.verifyEvent(notJson, signed(notJson)))).to.equal('WEBHOOK_PAYLOAD_INVALID');
    const noAmount = paymentIntentEvent('payment_intent.succeeded', { id: 'pi_1', currency: 'eur' });
    expect(refusalCode(provider.verifyEvent(noAmount, signed(noAmount)))).to.equal('WEBHOOK_PAYLOAD_INVALID');
  });
});
