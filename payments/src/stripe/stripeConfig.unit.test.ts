import { ConfigError } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { StripePaymentProvider } from './stripePaymentProvider';
import { paymentSucceededDelivery } from './stripeTestDeliveries';
import { readStripeConfig } from './stripeConfig';

const required = { P2P_STRIPE_API_KEY: 'sk_live_abc', P2P_STRIPE_WEBHOOK_SECRET: 'whsec_abc' };

describe('Stripe adapter configuration', () => {
  it('defaults to api.stripe.com over HTTPS', () => {
    expect(readStripeConfig(required)).to.include({
      host: 'api.stripe.com',
      port: 443,
      protocol: 'https',
      webhookToleranceSeconds: 300,
    });
  });

  it('reaches a provider on this machine over HTTP (stripe-mock)', () => {
    const config = readStripeConfig({
      ...required,
      P2P_STRIPE_HOST: '127.0.0.1',
      P2P_STRIPE_PORT: '18200',
      P2P_STRIPE_PROTOCOL: 'http',
    });
    expect(config).to.include({ host: '127.0.0.1', port: 18200, protocol: 'http' });
  });

  it('refuses plain HTTP to another host, since the key travels in every request', () => {
    expect(() => readStripeConfig({ ...required, P2P_STRIPE_PROTOCOL: 'http' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/P2P_STRIPE_PROTOCOL.*loopback/);
  });

  it('names every missing or malformed setting and never shows the secrets', () => {
    try {
      readStripeConfig({ P2P_STRIPE_API_KEY: 'pk_live_public', P2P_STRIPE_PORT: 'x' }, 'payments-webhooks');
      expect.fail('the configuration was accepted');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).to.match(/^payments-webhooks: invalid configuration/);
      expect(message).to.include('P2P_STRIPE_API_KEY="<redacted>"');
      expect(message).to.include('P2P_STRIPE_WEBHOOK_SECRET is not set');
      expect(message).to.include('P2P_STRIPE_PORT="x"');
      expect(message).not.to.include('pk_live_public');
    }
  });

  it('reads no endpoint secret for a service that only collects payments (the gateway)', () => {
    const config = readStripeConfig({ P2P_STRIPE_API_KEY: 'sk_live_abc' }, 'gateway', { webhooks: false });
    expect(config.webhookSecret).to.equal(undefined);
    // Given one anyway, it is not taken: only the payments service may verify (and so forge) events.
    expect(readStripeConfig(required, 'gateway', { webhooks: false }).webhookSecret).to.equal(undefined);
    const delivery = paymentSucceededDelivery(
      { paymentId: 'pi_1', escrowId: 'esc-1', amountMinor: 1n, currency: 'EUR' },
      'whsec_abc',
    );
    expect(new StripePaymentProvider(config).verifyEvent(delivery.body, delivery.signature)).to.deep.include({
      accepted: false,
    });
  });
});
