// The local payment provider: stripe-mock answers Stripe's API (validated against Stripe's own API
// description) on loopback, so the payments adapter talks to it exactly as to api.stripe.com.
// Built by scripts/install/stripe-mock.sh; its settings for the payment services are P2P_STRIPE_*.
import * as path from 'node:path';
import { stripeMockBin } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { namedSecret } from '../env/stateSecret';
import type { DaemonSpec } from '../runner/serviceSpec';

export const stripeMockServiceName = 'stripe-mock';

/** stripe-mock accepts any key of Stripe's test-key shape; a real deployment's comes from its vault. */
const localApiKey = 'sk_test_p2pescrowlocal';

export function stripeMockDaemon(): DaemonSpec {
  return {
    kind: 'daemon',
    name: stripeMockServiceName,
    description: 'stripe-mock: the local payment provider (Stripe API)',
    dependsOn: [],
    command: stripeMockBin,
    args: ['-http-addr', endpoint(portPlan.stripeMock.http)],
    env: {},
    cwd: path.dirname(stripeMockBin),
    ports: [portPlan.stripeMock.http],
    // Every API path asks for a key: a 401 to a request without one is stripe-mock answering as Stripe.
    health: {
      kind: 'http',
      url: `http://${endpoint(portPlan.stripeMock.http)}/v1/balance`,
      expectStatus: 401,
    },
    startTimeoutSeconds: 30,
  };
}

/**
 * The webhook endpoint secret the payment services verify provider events with: generated on the first
 * start under the state directory (never committed). Stripe's own secrets start with `whsec_`.
 */
export function stripeWebhookSecret(): string {
  return `whsec_${namedSecret('stripe-webhook-secret')}`;
}

/**
 * What a payment service is configured with to reach the local provider (payments/src/config reads
 * it): the same variables name api.stripe.com and a live key in a real deployment.
 */
export function stripeEnvironment(): Record<string, string> {
  return {
    P2P_STRIPE_API_KEY: localApiKey,
    P2P_STRIPE_HOST: portPlan.host,
    P2P_STRIPE_PORT: String(portPlan.stripeMock.http),
    P2P_STRIPE_PROTOCOL: 'http',
    P2P_STRIPE_WEBHOOK_SECRET: stripeWebhookSecret(),
  };
}
