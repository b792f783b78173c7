// Verifies a Stripe webhook delivery with the SDK (signature over the raw body, timestamp tolerance)
// and reads the event into the port's terms. A bad delivery is a refusal with a stable code, never an
// exception: the caller logs it as a security event and changes nothing.
import Stripe from 'stripe';
import { z } from 'zod';
import type { WebhookRefusal, WebhookRefusalCode } from '../port/paymentErrors';
import type { EventVerification, ProviderEvent } from '../port/paymentProvider';
import type { VerificationStatus } from '@p2p-escrow/chaincode';
import { escrowIdMetadataKey, marketplaceMetadataKey, partyUserMetadataKey } from './stripeMetadata';

/** The payment fields the escrow checks against the ledger; the rest of the object is not read. */
const paymentIntentFields = z.object({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  metadata: z.record(z.string(), z.string()).default({}),
});

const paymentEventKinds: Readonly<Record<string, 'payment.succeeded' | 'payment.failed'>> = {
  'payment_intent.succeeded': 'payment.succeeded',
  'payment_intent.payment_failed': 'payment.failed',
};

/** The verification session fields the gate reads. */
const verificationSessionFields = z.object({
  id: z.string().min(1),
  metadata: z.record(z.string(), z.string()).default({}),
});

/**
 * Stripe Identity's session events onto the port's statuses: `canceled` is the session given up on
 * for good (the provider or the marketplace refused it), which the gate treats as rejected.
 */
const verificationEventStatuses: Readonly<Record<string, VerificationStatus>> = {
  'identity.verification_session.verified': 'verified',
  'identity.verification_session.requires_input': 'requires_input',
  'identity.verification_session.canceled': 'rejected',
};

export function verifyStripeEvent(
  webhooks: Stripe['webhooks'],
  secret: string | undefined,
  toleranceSeconds: number,
  rawBody: string | Uint8Array,
  signatureHeader: string | undefined,
): EventVerification {
  if (secret === undefined)
    return {
      accepted: false,
      refusal: { code: 'WEBHOOK_SIGNATURE_INVALID', detail: 'this service holds no endpoint secret' },
    };
  let event: Stripe.Event;
  try {
    event = webhooks.constructEvent(rawBody, signatureHeader ?? '', secret, toleranceSeconds);
  } catch (error) {
    return { accepted: false, refusal: refusalOf(error) };
  }
  const createdAt = new Date(event.created * 1000);
  const verificationStatus = verificationEventStatuses[event.type];
  if (verificationStatus !== undefined) return verificationEventOf(event, createdAt, verificationStatus);
  const kind = paymentEventKinds[event.type];
  if (kind === undefined)
    return {
      accepted: true,
      event: { kind: 'other', eventId: event.id, createdAt, providerType: event.type },
    };
  const fields = paymentIntentFields.safeParse(event.data.object);
  if (!fields.success)
    return {
      accepted: false,
      refusal: {
        code: 'WEBHOOK_PAYLOAD_INVALID',
        detail: `${event.type} ${event.id}: ${fields.error.message}`,
      },
    };
  const payment = fields.data;
  const paymentEvent: ProviderEvent = {
    kind,
    eventId: event.id,
    createdAt,
    paymentId: payment.id,
    escrowId: payment.metadata[escrowIdMetadataKey],
    amountMinor: BigInt(payment.amount),
    currency: payment.currency.toUpperCase(),
  };
  return { accepted: true, event: paymentEvent };
}

function verificationEventOf(
  event: Stripe.Event,
  createdAt: Date,
  status: VerificationStatus,
): EventVerification {
  const fields = verificationSessionFields.safeParse(event.data.object);
  if (!fields.success)
    return {
      accepted: false,
      refusal: {
        code: 'WEBHOOK_PAYLOAD_INVALID',
        detail: `${event.type} ${event.id}: ${fields.error.message}`,
      },
    };
  const session = fields.data;
  return {
    accepted: true,
    event: {
      kind: 'verification.status',
      eventId: event.id,
      createdAt,
      verificationId: session.id,
      marketplace: session.metadata[marketplaceMetadataKey],
      userId: session.metadata[partyUserMetadataKey],
      status,
    },
  };
}

function refusalOf(error: unknown): WebhookRefusal {
  if (error instanceof Stripe.errors.StripeSignatureVerificationError)
    return { code: signatureRefusalCode(error.message), detail: error.message.split('\n')[0] ?? '' };
  // The signature held but the body is not an event (constructEvent parses it after verifying).
  if (error instanceof SyntaxError) return { code: 'WEBHOOK_PAYLOAD_INVALID', detail: error.message };
  throw error;
}

/**
 * The SDK raises one error class for every verification failure; its message is the only thing that
 * tells a replayed (stale) delivery from a forged one. stripeEvents.unit.test.ts pins each case, so a
 * change of wording in a new SDK version fails the tests instead of changing a code silently.
 */
function signatureRefusalCode(message: string): WebhookRefusalCode {
  if (message.startsWith('Timestamp outside the tolerance zone')) return 'WEBHOOK_TIMESTAMP_STALE';
  if (
    message.startsWith('No stripe-signature header value was provided') ||
    message.startsWith('Unable to extract timestamp and signatures from header') ||
    message.startsWith('No signatures found with expected scheme')
  )
    return 'WEBHOOK_SIGNATURE_MISSING';
  return 'WEBHOOK_SIGNATURE_INVALID';
}
