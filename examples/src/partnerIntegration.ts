// A partner marketplace's integration, end to end on the SDK: it subscribes a webhook endpoint,
// proposes an escrow between its buyer and seller, has the seller accept, opens the buyer's payment,
// and walks ship → confirm delivery → release, moving on only when the matching signed webhook
// arrives, as a partner's backend reacting to events would.
import {
  committed,
  createGatewayClient,
  unwrap,
  type components,
  type GatewayClient,
  type TokenSource,
} from '@p2p-escrow/client';
import * as crypto from 'node:crypto';
import { WebhookReceiver } from './webhookReceiver';

export type PaymentCreated = components['schemas']['PaymentCreated'];

export interface Party {
  readonly userId: string;
  /** The user's own token (from the marketplace's login), since the ledger checks who acts. */
  readonly auth: TokenSource;
}

export interface PartnerSettings {
  /** The partner's own org's gateway. */
  readonly gatewayUrl: string;
  readonly marketplace: string;
  /** The marketplace's backend: client credentials of its realm. */
  readonly backend: TokenSource;
  readonly buyer: Party;
  readonly seller: Party;
  /** The buyer paying at the provider with the payment's client secret (in production: in the browser). */
  readonly pay: (payment: PaymentCreated) => Promise<void>;
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
}

export interface IntegrationOutcome {
  readonly escrowId: string;
  readonly state: string;
  /** The verified webhooks received for the escrow, in arrival order. */
  readonly webhooks: readonly string[];
}

/** The events the integration subscribes to, one per transition it drives. */
export const PARTNER_WEBHOOK_TYPES: readonly string[] = [
  'EscrowCreated',
  'EscrowAccepted',
  'PaymentConfirmed',
  'Shipped',
  'DeliveryConfirmed',
  'Released',
];

export async function runPartnerIntegration(settings: PartnerSettings): Promise<IntegrationOutcome> {
  const log = settings.log ?? (() => undefined);
  const gateway = (auth: TokenSource): GatewayClient =>
    createGatewayClient({
      baseUrl: settings.gatewayUrl,
      auth,
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
    });
  const [backend, buyer, seller] = [
    gateway(settings.backend),
    gateway(settings.buyer.auth),
    gateway(settings.seller.auth),
  ];
  const receiver = new WebhookReceiver();
  const url = await receiver.start();
  const subscription = unwrap(
    await backend.POST('/v1/webhooks', { body: { url, eventTypes: [...PARTNER_WEBHOOK_TYPES] } }),
  );
  // Shown once, on the first answer; an idempotent replay redacts it.
  if (subscription.secret === undefined)
    throw new Error('the webhook subscription came back without its secret');
  receiver.useSecrets(subscription.secret);
  log(`webhooks: ${url} subscribed as ${subscription.id}`);
  try {
    const escrowId = `example-${crypto.randomUUID()}`;
    const path = { escrowId };
    const day = 86_400_000;
    const proposed = committed(
      await backend.POST('/v1/escrows', {
        body: {
          escrowId,
          buyer: { marketplace: settings.marketplace, userId: settings.buyer.userId },
          seller: { marketplace: settings.marketplace, userId: settings.seller.userId },
          currency: 'EUR',
          feeBps: 250,
          items: [{ description: 'Vintage camera', price: '12000' }],
          fundBy: new Date(Date.now() + day).toISOString(),
          shipBy: new Date(Date.now() + 7 * day).toISOString(),
          inspectionPeriodSeconds: 3600,
        },
      }),
    );
    log(`created ${escrowId}: ${proposed.escrow.state} in block ${proposed.blockNumber}`);
    const accepted = committed(
      await seller.POST('/v1/escrows/{escrowId}/accept', { params: { path }, body: {} }),
    );
    log(`${settings.seller.userId} accepted: ${accepted.escrow.state}`);
    const payment = unwrap(
      await backend.POST('/v1/escrows/{escrowId}/payment', { params: { path }, body: {} }),
    );
    await settings.pay(payment);
    await receiver.waitFor(escrowId, 'PaymentConfirmed');
    log(`webhook PaymentConfirmed: ${payment.paymentId} funded the escrow`);
    const shipped = committed(
      await seller.POST('/v1/escrows/{escrowId}/ship', {
        params: { path },
        body: { carrier: 'DHL', trackingRef: 'JD014600006281230' },
      }),
    );
    log(`${settings.seller.userId} shipped: ${shipped.escrow.state}`);
    committed(await buyer.POST('/v1/escrows/{escrowId}/confirm-delivery', { params: { path } }));
    const released = committed(
      await buyer.POST('/v1/escrows/{escrowId}/release', { params: { path }, body: {} }),
    );
    log(
      `${settings.buyer.userId} released: seller payout ${released.escrow.sellerPayout}, fee ${released.escrow.fee}`,
    );
    await receiver.waitFor(escrowId, 'Released');
    const webhooks = receiver.events
      .filter((event) => event.escrowId === escrowId)
      .map((event) => event.type);
    log(`webhooks received and verified: ${webhooks.join(', ')}`);
    return { escrowId, state: released.escrow.state, webhooks };
  } finally {
    await backend.DELETE('/v1/webhooks/{webhookId}', { params: { path: { webhookId: subscription.id } } });
    await receiver.stop();
  }
}
