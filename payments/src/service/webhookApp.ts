// The payments service's HTTP surface: the provider's webhook (the raw body is what the signature
// covers, so it is never parsed before verification), /healthz and /metrics. Answers: 200 for an event
// acted on, repeated or not for the escrow; 400/422 problem+json with a stable `code` for a refused
// one (never retried as is); 503 when the ledger could not be reached (the provider delivers again).
import type { SecurityEventEmitter } from '@p2p-escrow/fabric-client';
import express, { type Express } from 'express';
import { refusalStatus } from '../funding/fundingRefusals';
import { recordFundingSecurityEvent } from '../funding/fundingSecurityEvents';
import type { FundingMetrics } from '../funding/fundingMetrics';
import type { PaymentWebhook } from '../funding/paymentWebhook';
import { verificationRefusalStatus } from '../verification/verificationRefusals';
import type { VerificationWebhook } from '../verification/verificationWebhook';

export const PROVIDER_WEBHOOK_PATH = '/webhooks/provider';
/** The identity-verification provider's events: the same signature check, the verification gate's route. */
export const IDENTITY_WEBHOOK_PATH = '/webhooks/identity';
/** Stripe's own events stay far below this; anything larger is no provider event. */
const maxBodyBytes = '256kb';

/** Where refused provider events are reported to the SOC, as `source` (e.g. `payments-marketa`). */
export interface WebhookSecurityEvents {
  readonly emitter: SecurityEventEmitter;
  readonly source: string;
}

function rawBodyOf(body: unknown): Uint8Array {
  return body instanceof Buffer ? body : Buffer.alloc(0);
}

/**
 * A refused identity-provider event as a security event: a bad signature is `webhook.signature_failed`;
 * a signed event about a verification this marketplace never opened is `provider.event_forged`.
 */
function recordVerificationSecurityEvent(
  security: WebhookSecurityEvents,
  ip: string | undefined,
  refusal: { readonly code: string; readonly detail: string },
): void {
  const common = { source: security.source, ...(ip === undefined ? {} : { ip }) };
  if (refusal.code.startsWith('WEBHOOK_'))
    security.emitter.record({
      ...common,
      type: 'webhook.signature_failed',
      detail: { code: refusal.code, provider: 'identity', endpoint: IDENTITY_WEBHOOK_PATH },
    });
  else
    security.emitter.record({
      ...common,
      type: 'provider.event_forged',
      detail: { code: refusal.code, provider: 'identity', reason: refusal.detail.slice(0, 1024) },
    });
}

export function webhookApp(
  webhook: PaymentWebhook,
  verification: VerificationWebhook,
  metrics: FundingMetrics,
  security?: WebhookSecurityEvents,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.post(
    PROVIDER_WEBHOOK_PATH,
    express.raw({ type: () => true, limit: maxBodyBytes }),
    async (request, response) => {
      const body: unknown = request.body;
      const raw = body instanceof Buffer ? body : Buffer.alloc(0);
      try {
        const outcome = await webhook.receive(raw, request.get('stripe-signature'));
        metrics.observe(outcome);
        if (security !== undefined)
          recordFundingSecurityEvent(
            security.emitter,
            {
              source: security.source,
              provider: 'stripe',
              endpoint: PROVIDER_WEBHOOK_PATH,
              ...(request.ip === undefined ? {} : { ip: request.ip }),
            },
            outcome,
          );
        if (outcome.status === 'refused') {
          response
            .status(refusalStatus(outcome.refusal.code))
            .type('application/problem+json')
            .json({
              type: 'about:blank',
              title: 'provider event refused',
              status: refusalStatus(outcome.refusal.code),
              code: outcome.refusal.code,
              detail: outcome.refusal.detail,
            });
          return;
        }
        response.status(200).json(outcome);
      } catch (error) {
        metrics.failed(error);
        response.status(503).type('application/problem+json').json({
          type: 'about:blank',
          title: 'ledger unavailable',
          status: 503,
          code: 'FUNDING_LEDGER_UNAVAILABLE',
        });
      }
    },
  );
  app.post(
    IDENTITY_WEBHOOK_PATH,
    express.raw({ type: () => true, limit: maxBodyBytes }),
    async (request, response) => {
      try {
        const outcome = await verification.receive(rawBodyOf(request.body), request.get('stripe-signature'));
        metrics.observeVerification(outcome);
        if (outcome.status !== 'refused') {
          response.status(200).json(outcome);
          return;
        }
        if (security !== undefined) recordVerificationSecurityEvent(security, request.ip, outcome.refusal);
        const status = verificationRefusalStatus(outcome.refusal.code);
        response.status(status).type('application/problem+json').json({
          type: 'about:blank',
          title: 'verification event refused',
          status,
          code: outcome.refusal.code,
          detail: outcome.refusal.detail,
        });
      } catch (error) {
        metrics.failed(error);
        response.status(503).type('application/problem+json').json({
          type: 'about:blank',
          title: 'ledger or records unavailable',
          status: 503,
          code: 'VERIFICATION_LEDGER_UNAVAILABLE',
        });
      }
    },
  );
  app.get('/healthz', (_request, response) => {
    response.json({ healthy: true });
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}
