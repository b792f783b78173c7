// What the Stripe adapter is configured with: P2P_STRIPE_* variables, read once at start through
// fabric-client's readEnvironment. The same settings reach api.stripe.com (the defaults) or the local
// stripe-mock (the runner's values: scripts/src/payments/stripeMock.ts).
import { readEnvironment, setting, type Env } from '@p2p-escrow/fabric-client';
import { z } from 'zod';

export interface StripeConfig {
  readonly apiKey: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
  /** Absent in a service that only collects payments: it can verify no event, and forge none. */
  readonly webhookSecret: string | undefined;
  /** How old a signed event may be, in seconds, before it is refused as a replay. */
  readonly webhookToleranceSeconds: number;
  /** Retries of a failed network call by the SDK, with the same idempotency key. */
  readonly maxNetworkRetries: number;
  readonly timeoutMs: number;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

const providerSettings = z.object({
  P2P_STRIPE_API_KEY: setting.text().regex(/^(sk|rk)_(test|live)_\S+$/, 'must be a Stripe secret key'),
  P2P_STRIPE_HOST: setting.text().default('api.stripe.com'),
  P2P_STRIPE_PORT: setting.port().default(443),
  P2P_STRIPE_PROTOCOL: z.enum(['http', 'https'], 'must be http or https').default('https'),
  P2P_STRIPE_WEBHOOK_TOLERANCE_SECONDS: setting.positive().default(300),
  P2P_STRIPE_MAX_NETWORK_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  P2P_STRIPE_TIMEOUT_MS: setting.positive().default(20_000),
});

const webhookSettings = providerSettings.extend({
  P2P_STRIPE_WEBHOOK_SECRET: setting.text().regex(/^whsec_\S+$/, 'must be a webhook endpoint secret'),
});

// The key travels in every request: plain HTTP only to a provider on this machine (stripe-mock).
function httpOnlyToLoopback(s: z.output<typeof providerSettings>): boolean {
  return s.P2P_STRIPE_PROTOCOL === 'https' || loopbackHosts.has(s.P2P_STRIPE_HOST);
}
const httpRefusal = {
  path: ['P2P_STRIPE_PROTOCOL'],
  message: 'http is allowed only towards a loopback P2P_STRIPE_HOST',
};

export interface StripeConfigOptions {
  /** Whether the service verifies webhook deliveries (and so needs the endpoint secret); default yes. */
  readonly webhooks?: boolean;
}

export function readStripeConfig(
  env: Env,
  service = 'payments',
  options: StripeConfigOptions = {},
): StripeConfig {
  const secrets = ['P2P_STRIPE_API_KEY', 'P2P_STRIPE_WEBHOOK_SECRET'];
  const webhookSecret =
    options.webhooks === false
      ? undefined
      : readEnvironment(service, webhookSettings.refine(httpOnlyToLoopback, httpRefusal), env, secrets)
          .P2P_STRIPE_WEBHOOK_SECRET;
  const s = readEnvironment(service, providerSettings.refine(httpOnlyToLoopback, httpRefusal), env, secrets);
  return {
    apiKey: s.P2P_STRIPE_API_KEY,
    host: s.P2P_STRIPE_HOST,
    port: s.P2P_STRIPE_PORT,
    protocol: s.P2P_STRIPE_PROTOCOL,
    webhookSecret,
    webhookToleranceSeconds: s.P2P_STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    maxNetworkRetries: s.P2P_STRIPE_MAX_NETWORK_RETRIES,
    timeoutMs: s.P2P_STRIPE_TIMEOUT_MS,
  };
}
