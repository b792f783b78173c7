// Which refused provider events the SOC hears about: a webhook whose signature (or its timestamp) did
// not verify is `webhook.signature_failed`; a correctly signed event that contradicts the ledger (no
// such escrow, another marketplace's, another amount or currency) is `provider.event_forged`. The
// other refusals (already funded, not fundable yet) are ordinary races, not security events.
import type { SecurityEventEmitter } from '@p2p-escrow/fabric-client';
import type { FundingRefusalCode } from './fundingRefusals';
import type { WebhookOutcome } from './paymentWebhook';

const FORGED: ReadonlySet<FundingRefusalCode> = new Set([
  'FUNDING_ESCROW_UNKNOWN',
  'FUNDING_MARKETPLACE_MISMATCH',
  'FUNDING_AMOUNT_MISMATCH',
  'FUNDING_CURRENCY_MISMATCH',
]);

export interface FundingSecurityContext {
  /** The service that received it, e.g. `payments-marketa`. */
  readonly source: string;
  readonly provider: string;
  readonly endpoint: string;
  readonly ip?: string;
  readonly requestId?: string;
}

/** Records `outcome` on `emitter` when it is a security event; never throws. */
export function recordFundingSecurityEvent(
  emitter: SecurityEventEmitter,
  context: FundingSecurityContext,
  outcome: WebhookOutcome,
): void {
  if (outcome.status !== 'refused') return;
  const { code, detail } = outcome.refusal;
  const common = {
    source: context.source,
    ...(context.ip === undefined ? {} : { ip: context.ip }),
    ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
  };
  if (code.startsWith('WEBHOOK_'))
    emitter.record({
      ...common,
      type: 'webhook.signature_failed',
      detail: { code, provider: context.provider, endpoint: context.endpoint },
    });
  else if (FORGED.has(code))
    emitter.record({
      ...common,
      type: 'provider.event_forged',
      detail: {
        code,
        provider: context.provider,
        reason: detail.slice(0, 1024),
        ...(outcome.eventId === undefined ? {} : { providerEventId: outcome.eventId.slice(0, 1024) }),
        ...(outcome.escrowId === undefined ? {} : { escrowId: outcome.escrowId.slice(0, 1024) }),
      },
    });
}
