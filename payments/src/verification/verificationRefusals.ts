// The HTTP answer of a refused verification event: a delivery the provider must not retry as is.
import type { VerificationRefusalCode } from './verificationWebhook';

/** The log's event name of every refused verification event, as for refused payment events. */
export const VERIFICATION_SECURITY_EVENT = 'payments.verification.refused';

export function verificationRefusalStatus(code: VerificationRefusalCode): number {
  return code.startsWith('WEBHOOK_') ? 400 : 422;
}
