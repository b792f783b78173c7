// Provider deliveries for tests and benchmarks: a `payment_intent.succeeded` event as Stripe sends it,
// signed with the SDK's own test signer. stripe-mock sends no webhooks, so the tiers that prove
// funding deliver these to the payments service themselves, signed with the real endpoint secret.
import * as crypto from 'node:crypto';
import Stripe from 'stripe';
import type { VerificationStatus } from '@p2p-escrow/chaincode';
import { escrowIdMetadataKey, marketplaceMetadataKey, partyUserMetadataKey } from './stripeMetadata';

export interface PaymentSucceededSpec {
  readonly paymentId: string;
  /** Omitted: a payment made for no escrow (no escrow id in its metadata). */
  readonly escrowId?: string;
  readonly marketplace?: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** Defaults to a fresh `evt_` id: each delivery of one event keeps its id. */
  readonly eventId?: string;
  /** Unix seconds of the event and its signature; defaults to now. */
  readonly createdSeconds?: number;
}

export interface ProviderDelivery {
  readonly eventId: string;
  readonly body: string;
  /** The `Stripe-Signature` header. */
  readonly signature: string;
}

/** The provider's signature header of this body, signed with `secret` at `timestampSeconds`. */
export function signProviderPayload(body: string, secret: string, timestampSeconds?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    ...(timestampSeconds === undefined ? {} : { timestamp: timestampSeconds }),
  });
}

export function paymentSucceededDelivery(spec: PaymentSucceededSpec, secret: string): ProviderDelivery {
  const eventId = spec.eventId ?? `evt_${crypto.randomBytes(12).toString('hex')}`;
  const created = spec.createdSeconds ?? Math.floor(Date.now() / 1000);
  const metadata: Record<string, string> = {};
  if (spec.escrowId !== undefined) metadata[escrowIdMetadataKey] = spec.escrowId;
  if (spec.marketplace !== undefined) metadata[marketplaceMetadataKey] = spec.marketplace;
  const body = JSON.stringify({
    id: eventId,
    object: 'event',
    type: 'payment_intent.succeeded',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: spec.paymentId,
        object: 'payment_intent',
        amount: Number(spec.amountMinor),
        currency: spec.currency.toLowerCase(),
        status: 'succeeded',
        metadata,
      },
    },
  });
  return { eventId, body, signature: signProviderPayload(body, secret, created) };
}

export interface VerificationEventSpec {
  readonly verificationId: string;
  readonly marketplace: string;
  readonly userId: string;
  readonly status: VerificationStatus;
  readonly eventId?: string;
  readonly createdSeconds?: number;
}

/** Stripe Identity's event type of each status (canceled is what the gate reads as rejected). */
const verificationEventTypes: Readonly<Record<VerificationStatus, string>> = {
  verified: 'identity.verification_session.verified',
  requires_input: 'identity.verification_session.requires_input',
  rejected: 'identity.verification_session.canceled',
};

/** An `identity.verification_session.*` event as Stripe sends it, signed with `secret`. */
export function verificationDelivery(spec: VerificationEventSpec, secret: string): ProviderDelivery {
  const eventId = spec.eventId ?? `evt_${crypto.randomBytes(12).toString('hex')}`;
  const created = spec.createdSeconds ?? Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id: eventId,
    object: 'event',
    type: verificationEventTypes[spec.status],
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: spec.verificationId,
        object: 'identity.verification_session',
        status: spec.status === 'rejected' ? 'canceled' : spec.status,
        type: 'document',
        metadata: { [marketplaceMetadataKey]: spec.marketplace, [partyUserMetadataKey]: spec.userId },
      },
    },
  });
  return { eventId, body, signature: signProviderPayload(body, secret, created) };
}
