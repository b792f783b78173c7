// A verified webhook's body: the escrow event as the events API serves it.
import type { components } from '../generated/gatewayApi';
import {
  verifyWebhookSignature,
  WebhookVerificationError,
  type VerifySignatureOptions,
} from './webhookSignature';

export type WebhookEvent = components['schemas']['EscrowEventMessage'];

function isEvent(value: unknown): value is WebhookEvent {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return (
    typeof fields['eventId'] === 'string' &&
    typeof fields['type'] === 'string' &&
    typeof fields['escrowId'] === 'string'
  );
}

/**
 * The event a webhook delivers, once its signature is verified over the raw body; throws a
 * WebhookVerificationError (a stable `code`) for a missing, malformed, stale or wrong signature, or a
 * body that is no escrow event.
 */
export function verifyWebhook(
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  options: VerifySignatureOptions,
): WebhookEvent {
  verifyWebhookSignature(header, rawBody, options);
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('WEBHOOK_BODY_INVALID', 'the signed body is not JSON');
  }
  if (!isEvent(parsed))
    throw new WebhookVerificationError('WEBHOOK_BODY_INVALID', 'the signed body is no escrow event');
  return parsed;
}
