// The payments package's face: the payment provider port (what the escrow needs from a provider),
// its errors and idempotency keys, the Stripe adapter behind one factory, and the netting of
// obligations between marketplaces. Only this package imports the provider's SDK.
import type { Env } from '@p2p-escrow/fabric-client';
import type { PaymentProvider } from './port/paymentProvider';
import type { IdentityVerificationProvider } from './verification/identityVerificationProvider';
import { readStripeConfig } from './stripe/stripeConfig';
import { StripePaymentProvider, type ProviderCallRecord } from './stripe/stripePaymentProvider';

export * from './port/paymentProvider';
export * from './port/paymentErrors';
export { idempotencyKeyOf, type MoneyMovement, type MoneyMovementKind } from './port/idempotencyKey';
// The netting is the chaincode's (it computes every statement on the ledger); re-used from its face.
export {
  netObligations,
  netPositions,
  NettingError,
  statementIdOf,
  type NetDirection,
  type NettingErrorCode,
  type Obligation,
  type Statement,
} from '@p2p-escrow/chaincode';
export { readStripeConfig, type StripeConfig, type StripeConfigOptions } from './stripe/stripeConfig';
export {
  paymentSucceededDelivery,
  signProviderPayload,
  verificationDelivery,
  type PaymentSucceededSpec,
  type ProviderDelivery,
  type VerificationEventSpec,
} from './stripe/stripeTestDeliveries';
// The identity-verification gate on payouts: the provider port, its records, the webhook's outcomes.
export type {
  IdentityVerificationProvider,
  StartedVerification,
  VerificationEvent,
  VerificationRequest,
} from './verification/identityVerificationProvider';
export type { PartyVerification, PendingPayout } from './verification/verificationPorts';
export { PgPartyVerifications, PgPendingPayouts } from './store/pgVerificationStore';
export { SELLER_NOT_VERIFIED } from './settlement/payoutGate';
export { verificationStatusHash } from './verification/verificationStatusHash';
export type { VerificationOutcome, VerificationRefusalCode } from './verification/verificationWebhook';
export { PaymentWebhook, type WebhookOutcome } from './funding/paymentWebhook';
export { FUNDING_SECURITY_EVENT, type FundingRefusalCode } from './funding/fundingRefusals';
export {
  maxActivityPerKind,
  StripePaymentProvider,
  type ProviderCallRecord,
} from './stripe/stripePaymentProvider';

/** The one factory of the payment provider: Stripe (or stripe-mock) from the P2P_STRIPE_* settings. */
export function paymentProviderFromEnvironment(
  env: Env,
  service: string,
  observe?: (call: ProviderCallRecord) => void,
): PaymentProvider {
  return new StripePaymentProvider(readStripeConfig(env, service), observe);
}
export type { StatementLedger } from './statements/statementLedger';
export { FabricStatementLedger } from './statements/fabricStatementLedger';
export {
  payStatement,
  paySellersOfStatement,
  StatementSettlementError,
  type SellerPayout,
  type SellerPayouts,
  type StatementTransfer,
  type TransferOutcome,
} from './statements/statementSettlement';

/**
 * The provider as a service that only opens payments sees it (the gateway): no endpoint secret, so it
 * can neither verify nor forge the provider's events.
 */
export function paymentCollectorFromEnvironment(
  env: Env,
  service: string,
): Pick<PaymentProvider, 'createPayment'> {
  return new StripePaymentProvider(readStripeConfig(env, service, { webhooks: false }));
}

/**
 * The identity-verification provider as the gateway sees it: it opens sessions and holds no endpoint
 * secret, so it can neither verify nor forge the provider's events.
 */
export function identityVerifierFromEnvironment(
  env: Env,
  service: string,
): Pick<IdentityVerificationProvider, 'startVerification'> {
  return new StripePaymentProvider(readStripeConfig(env, service, { webhooks: false }));
}
