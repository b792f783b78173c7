// The payment provider port on Stripe Connect, separate charges and transfers: the buyer's payment is a
// PaymentIntent on the platform (transfer_group = escrow id, escrow id in metadata); the seller's payout
// is a Transfer to their connected account in the same transfer group; a refund is a Refund against the
// PaymentIntent; what the marketplace keeps (its fee) is what it does not transfer. Every mutating call
// carries the idempotency key of its (escrow, payee, kind). The SDK is the only HTTP client.
import Stripe from 'stripe';
import { idempotencyKeyOf } from '../port/idempotencyKey';
import { currencyCode, identifier, minorUnits } from '../port/money';
import { PaymentRequestInvalidError, ProviderRefusedError } from '../port/paymentErrors';
import type {
  CreatedPayment,
  EventVerification,
  MoneyMoved,
  PaymentProvider,
  PaymentRequest,
  PayoutRequest,
  Period,
  ProviderActivity,
  RefundRequest,
} from '../port/paymentProvider';
import type { StripeConfig } from './stripeConfig';
import { providerCall } from './stripeErrors';
import { verifyStripeEvent } from './stripeEvents';
import type {
  IdentityVerificationProvider,
  StartedVerification,
  VerificationRequest,
} from '../verification/identityVerificationProvider';
import {
  buyerMetadataKey,
  escrowIdMetadataKey,
  itemMetadataKey,
  marketplaceMetadataKey,
  partyUserMetadataKey,
} from './stripeMetadata';

/** One answered provider call, as the provider saw it (its idempotency key is the one it echoed). */
export interface ProviderCallRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly idempotencyKey: string | undefined;
  readonly requestId: string;
  readonly elapsedMs: number;
}

/** Bounds one reconciliation listing per object kind; a longer period is split by the caller. */
export const maxActivityPerKind = 10_000;

/** An item's index, when the movement is one item's (validated: a small whole number). */
function itemOf(request: { readonly item?: number }): { item?: number } {
  if (request.item === undefined) return {};
  if (!Number.isInteger(request.item) || request.item < 0 || request.item > 9999)
    throw new PaymentRequestInvalidError('item', 'must be an item index');
  return { item: request.item };
}

/** The escrow on every refund and transfer, and the item on one item's. */
function movementMetadata(escrowId: string, request: { readonly item?: number }): Record<string, string> {
  const { item } = itemOf(request);
  return item === undefined
    ? { [escrowIdMetadataKey]: escrowId }
    : { [escrowIdMetadataKey]: escrowId, [itemMetadataKey]: String(item) };
}

export class StripePaymentProvider implements PaymentProvider, IdentityVerificationProvider {
  private readonly stripe: Stripe;

  constructor(
    private readonly config: StripeConfig,
    /** Sees every answered call (logs, metrics, tests); must not throw. */
    observe?: (call: ProviderCallRecord) => void,
  ) {
    this.stripe = new Stripe(config.apiKey, {
      host: config.host,
      port: config.port,
      protocol: config.protocol,
      maxNetworkRetries: config.maxNetworkRetries,
      timeout: config.timeoutMs,
      telemetry: false,
    });
    if (observe !== undefined)
      // The SDK types `on` loosely; its response events are Stripe.ResponseEvent.
      (this.stripe.on as (name: 'response', handler: (event: Stripe.ResponseEvent) => void) => void)(
        'response',
        (event) => {
          observe({
            method: event.method,
            path: event.path,
            status: event.status,
            idempotencyKey: event.idempotency_key,
            requestId: event.request_id,
            elapsedMs: event.elapsed,
          });
        },
      );
  }

  async createPayment(request: PaymentRequest): Promise<CreatedPayment> {
    const escrowId = identifier(request.escrowId, 'escrowId');
    const idempotencyKey = idempotencyKeyOf({
      escrowId,
      payee: identifier(request.marketplace, 'marketplace'),
      kind: 'payment',
    });
    const intent = await providerCall(idempotencyKey, () =>
      this.stripe.paymentIntents.create(
        {
          amount: minorUnits(request.amountMinor),
          currency: currencyCode(request.currency).toLowerCase(),
          transfer_group: escrowId,
          metadata: {
            [escrowIdMetadataKey]: escrowId,
            [marketplaceMetadataKey]: request.marketplace,
            [buyerMetadataKey]: identifier(request.buyer, 'buyer'),
          },
        },
        { idempotencyKey },
      ),
    );
    if (intent.client_secret === null)
      throw new ProviderRefusedError(undefined, `payment ${intent.id} came back without a client secret`);
    return {
      paymentId: intent.id,
      clientSecret: intent.client_secret,
      idempotencyKey: intent.lastResponse.idempotencyKey ?? idempotencyKey,
    };
  }

  /** A Stripe Identity document session, the party named in its metadata for the webhook to find. */
  async startVerification(request: VerificationRequest): Promise<StartedVerification> {
    const marketplace = identifier(request.marketplace, 'marketplace');
    const userId = identifier(request.userId, 'userId');
    // A new session each time: after `requires_input` or a cancellation the party starts over.
    const session = await providerCall(undefined, () =>
      this.stripe.identity.verificationSessions.create({
        type: 'document',
        metadata: { [marketplaceMetadataKey]: marketplace, [partyUserMetadataKey]: userId },
      }),
    );
    // Stripe answers a new session with its client secret and hosted URL; stripe-mock with neither.
    return { verificationId: session.id, clientSecret: session.client_secret, url: session.url };
  }

  verifyEvent(rawBody: string | Uint8Array, signatureHeader: string | undefined): EventVerification {
    return verifyStripeEvent(
      this.stripe.webhooks,
      this.config.webhookSecret,
      this.config.webhookToleranceSeconds,
      rawBody,
      signatureHeader,
    );
  }

  async refund(request: RefundRequest): Promise<MoneyMoved> {
    const escrowId = identifier(request.escrowId, 'escrowId');
    const idempotencyKey = idempotencyKeyOf({
      escrowId,
      payee: identifier(request.payee, 'payee'),
      kind: 'refund',
      ...itemOf(request),
    });
    const refund = await providerCall(idempotencyKey, () =>
      this.stripe.refunds.create(
        {
          payment_intent: identifier(request.paymentId, 'paymentId'),
          ...(request.amountMinor === undefined ? {} : { amount: minorUnits(request.amountMinor) }),
          metadata: movementMetadata(escrowId, request),
        },
        { idempotencyKey },
      ),
    );
    return moneyMoved(escrowId, refund, idempotencyKey);
  }

  async payOut(request: PayoutRequest): Promise<MoneyMoved> {
    const escrowId = identifier(request.escrowId, 'escrowId');
    const destination = identifier(request.destinationAccount, 'destinationAccount');
    const idempotencyKey = idempotencyKeyOf({
      escrowId,
      payee: destination,
      kind: request.kind ?? 'payout',
      ...itemOf(request),
    });
    const transfer = await providerCall(idempotencyKey, () =>
      this.stripe.transfers.create(
        {
          amount: minorUnits(request.amountMinor),
          currency: currencyCode(request.currency).toLowerCase(),
          destination,
          transfer_group: escrowId,
          metadata: movementMetadata(escrowId, request),
        },
        { idempotencyKey },
      ),
    );
    return moneyMoved(escrowId, transfer, idempotencyKey);
  }

  isPaymentReference(reference: string): boolean {
    return /^pi_[A-Za-z0-9_]+$/.test(reference);
  }

  isPayeeAccount(account: string): boolean {
    return /^acct_[A-Za-z0-9]{1,64}$/.test(account);
  }

  async listActivity(period: Period): Promise<ProviderActivity[]> {
    if (!(period.from < period.to))
      throw new PaymentRequestInvalidError('period', 'must end after it starts');
    const created = {
      gte: Math.floor(period.from.getTime() / 1000),
      lt: Math.ceil(period.to.getTime() / 1000),
    };
    const listed = { limit: maxActivityPerKind };
    const [payments, refunds, transfers] = await Promise.all([
      providerCall(undefined, () =>
        this.stripe.paymentIntents.list({ created, limit: 100 }).autoPagingToArray(listed),
      ),
      providerCall(undefined, () =>
        this.stripe.refunds.list({ created, limit: 100 }).autoPagingToArray(listed),
      ),
      providerCall(undefined, () =>
        this.stripe.transfers.list({ created, limit: 100 }).autoPagingToArray(listed),
      ),
    ]);
    for (const [kind, list] of [
      ['payments', payments],
      ['refunds', refunds],
      ['transfers', transfers],
    ] as const) {
      if (list.length >= maxActivityPerKind)
        throw new PaymentRequestInvalidError(
          'period',
          `holds ${maxActivityPerKind} or more ${kind}: split it`,
        );
    }
    return [
      ...payments.map((intent) =>
        activity(
          'payment',
          intent.id,
          intent.metadata[escrowIdMetadataKey],
          intent.amount,
          intent.currency,
          intent.status,
          intent.created,
        ),
      ),
      ...refunds.map((refund) =>
        activity(
          'refund',
          refund.id,
          refund.metadata?.[escrowIdMetadataKey],
          refund.amount,
          refund.currency,
          refund.status ?? 'unknown',
          refund.created,
        ),
      ),
      ...transfers.map((transfer) =>
        activity(
          'transfer',
          transfer.id,
          transfer.metadata[escrowIdMetadataKey] ?? transfer.transfer_group ?? undefined,
          transfer.amount,
          transfer.currency,
          transfer.reversed ? 'reversed' : 'paid',
          transfer.created,
        ),
      ),
    ];
  }
}

/** A refund or transfer as the port reports it; the key is the one the provider echoed, if it did. */
function moneyMoved(
  escrowId: string,
  moved: Stripe.Response<{ id: string; amount: number; currency: string }>,
  idempotencyKey: string,
): MoneyMoved {
  return {
    providerId: moved.id,
    escrowId,
    amountMinor: BigInt(moved.amount),
    currency: moved.currency.toUpperCase(),
    idempotencyKey: moved.lastResponse.idempotencyKey ?? idempotencyKey,
  };
}

function activity(
  kind: ProviderActivity['kind'],
  providerId: string,
  escrowId: string | undefined,
  amount: number,
  currency: string,
  status: string,
  createdSeconds: number,
): ProviderActivity {
  return {
    kind,
    providerId,
    escrowId,
    amountMinor: BigInt(amount),
    currency: currency.toUpperCase(),
    status,
    createdAt: new Date(createdSeconds * 1000),
  };
}
