// Where the example finds the local stack `npm start` runs: addresses from the port plan
// (network/ports.json), generated secrets from the state directory. A partner's own program takes
// these from its configuration instead.
import { ClientCredentialsTokens, staticToken, type TokenSource } from '@p2p-escrow/client';
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PaymentCreated } from './partnerIntegration';

const repoRoot = path.resolve(__dirname, '..', '..');
const stateDir = process.env['P2P_STATE_DIR'] ?? path.join(repoRoot, '.state');

interface PortPlan {
  readonly host: string;
  readonly keycloak: { readonly https: number };
  readonly gateway: Readonly<Record<string, { readonly https: number }>>;
  readonly payments: Readonly<Record<string, { readonly https: number }>>;
}

const ports = JSON.parse(fs.readFileSync(path.join(repoRoot, 'network', 'ports.json'), 'utf8')) as PortPlan;

function secret(name: string): string {
  return fs.readFileSync(path.join(stateDir, 'secrets', name), 'utf8').trim();
}

function httpsPort(table: PortPlan['gateway'], org: string): number {
  const entry = table[org];
  if (entry === undefined) throw new Error(`the port plan has no ${org}`);
  return entry.https;
}

export const localStack = {
  caFile: path.join(stateDir, 'tls', 'ca', 'ca.pem'),
  gatewayUrl: (org: string) => `https://${ports.host}:${httpsPort(ports.gateway, org)}`,
  tokenUrl: (org: string) =>
    `https://${ports.host}:${ports.keycloak.https}/realms/p2p-${org.toLowerCase()}/protocol/openid-connect/token`,
  backendSecretFile: (clientId: string) => path.join(stateDir, 'secrets', `keycloak-${clientId}-secret`),
};

/** The marketplace backend's client credentials, its secret read from the state directory. */
export function backendTokens(org: string, clientId: string): ClientCredentialsTokens {
  return new ClientCredentialsTokens({
    tokenUrl: localStack.tokenUrl(org),
    clientId,
    clientSecret: fs.readFileSync(localStack.backendSecretFile(clientId), 'utf8').trim(),
  });
}

/** A demo user's token (password grant of the realm's public client), as the marketplace's app holds it. */
export async function demoUserToken(org: string, username: string): Promise<TokenSource> {
  const response = await fetch(localStack.tokenUrl(org), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'escrow-web',
      username,
      password: secret(`demo-${username}-password`),
    }),
  });
  const body = (await response.json()) as { access_token?: unknown };
  if (!response.ok || typeof body.access_token !== 'string')
    throw new Error(`${username} could not sign in: ${response.status}`);
  return staticToken(body.access_token);
}

/**
 * Stands in for the buyer paying at the provider: stripe-mock sends no webhooks, so the provider's
 * signed `payment_intent.succeeded` for exactly this payment is delivered to the marketplace's
 * payments service here, with the endpoint secret the service verifies.
 */
export function localProviderPays(org: string): (payment: PaymentCreated) => Promise<void> {
  return async (payment) => {
    const event = paymentSucceededDelivery(
      {
        paymentId: payment.paymentId,
        escrowId: payment.escrowId,
        marketplace: org,
        amountMinor: BigInt(payment.amount),
        currency: payment.currency,
      },
      `whsec_${secret('stripe-webhook-secret')}`,
    );
    const response = await fetch(
      `https://${ports.host}:${httpsPort(ports.payments, org)}/webhooks/provider`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
        body: event.body,
      },
    );
    if (!response.ok)
      throw new Error(
        `the payments service refused the payment: ${response.status} ${await response.text()}`,
      );
  };
}
