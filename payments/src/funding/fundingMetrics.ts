// What the payments service tells operators about provider events: every outcome, every refusal by
// code (alerts fire on these), and how long a payment took from the provider's event to its funding
// on the ledger.
import { Counter, Histogram, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { FUNDING_SECURITY_EVENT } from './fundingRefusals';
import { VERIFICATION_SECURITY_EVENT } from '../verification/verificationRefusals';
import type { VerificationOutcome } from '../verification/verificationWebhook';
import type { WebhookOutcome } from './paymentWebhook';

export class FundingMetrics {
  readonly registry = new Registry();
  readonly #outcomes = new Counter({
    name: 'p2p_payments_webhook_events_total',
    help: 'Provider events received, by outcome (funded, duplicate, ignored, refused, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly #refusals = new Counter({
    name: 'p2p_payments_webhook_refusals_total',
    help: 'Provider events refused as security events, by refusal code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly #verifications = new Counter({
    name: 'p2p_payments_verification_events_total',
    help: 'Identity-verification events received, by outcome (recorded, duplicate, stale, ignored, refused) and refusal code',
    labelNames: ['outcome', 'code'] as const,
    registers: [this.registry],
  });
  readonly #eventToFunding = new Histogram({
    name: 'p2p_payments_event_to_funding_seconds',
    help: "From the provider's event to its funding committed on the ledger",
    buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  constructor(
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {}

  /** Logs and counts one answered delivery; refusals are security events under one stable name. */
  observe(outcome: WebhookOutcome): void {
    this.#outcomes.inc({ outcome: outcome.status });
    switch (outcome.status) {
      case 'refused':
        this.#refusals.inc({ code: outcome.refusal.code });
        this.log.warn(
          {
            event: FUNDING_SECURITY_EVENT,
            code: outcome.refusal.code,
            detail: outcome.refusal.detail,
            eventId: outcome.eventId,
            escrowId: outcome.escrowId,
          },
          'provider event refused',
        );
        return;
      case 'funded':
        this.#eventToFunding.observe((this.now().getTime() - outcome.eventCreatedAt.getTime()) / 1000);
        this.log.info(
          { escrowId: outcome.escrowId, paymentId: outcome.paymentId, transactionId: outcome.transactionId },
          'escrow funded',
        );
        return;
      case 'duplicate':
        this.log.info({ escrowId: outcome.escrowId, eventId: outcome.eventId }, 'repeated payment event');
        return;
      case 'ignored':
        this.log.debug({ eventId: outcome.eventId, eventType: outcome.eventType }, 'event not acted on');
    }
  }

  /** Logs and counts one verification event; a refusal is a security event, as for payments. */
  observeVerification(outcome: VerificationOutcome): void {
    const code = outcome.status === 'refused' ? outcome.refusal.code : '';
    this.#verifications.inc({ outcome: outcome.status, code });
    if (outcome.status === 'refused')
      this.log.warn(
        { event: VERIFICATION_SECURITY_EVENT, code, detail: outcome.refusal.detail },
        'verification event refused',
      );
    else this.log.info({ outcome }, 'verification event');
  }

  failed(error: unknown): void {
    this.#outcomes.inc({ outcome: 'failed' });
    this.log.error({ err: error }, 'provider event not processed; the provider delivers it again');
  }
}
