// Why a provider event did not fund an escrow: the verification refusals of the port plus what the
// ledger's escrow says against the event. Each is a security event (logged under one stable name and
// counted), and none changes anything.
import type { WebhookRefusalCode } from '../port/paymentErrors';

export type FundingRefusalCode =
  | WebhookRefusalCode
  /** No escrow id in the payment's metadata, or no such escrow on the ledger. */
  | 'FUNDING_ESCROW_UNKNOWN'
  /** The escrow's buyer trades on another marketplace: this service does not collect for it. */
  | 'FUNDING_MARKETPLACE_MISMATCH'
  | 'FUNDING_AMOUNT_MISMATCH'
  | 'FUNDING_CURRENCY_MISMATCH'
  /** Not accepted by both parties yet, or past funding (cancelled, expired, …). */
  | 'FUNDING_ESCROW_NOT_FUNDABLE'
  /** Already funded by another payment: a second payment for one escrow is refunded by hand. */
  | 'FUNDING_ALREADY_FUNDED'
  /** The chaincode refused `fund` for a reason the checks above did not foresee (its code in detail). */
  | 'FUNDING_LEDGER_REFUSED';

export interface FundingRefusal {
  readonly code: FundingRefusalCode;
  readonly detail: string;
}

/** The log's event name of every refusal: alerting matches on it, so it never changes. */
export const FUNDING_SECURITY_EVENT = 'payments.webhook.refused';

/** HTTP status of a refusal: a delivery the provider must not retry as is (4xx). */
export function refusalStatus(code: FundingRefusalCode): number {
  return code.startsWith('WEBHOOK_') ? 400 : 422;
}
