// The partner SDK's face: a typed client for one org's gateway (types generated from its OpenAPI
// document), client-credentials tokens, idempotent retries, cursor iteration over lists, and the
// webhook verifier, and the audit-proof verifier (the same portable code the console runs in the
// browser and the operator's CLI in Node).
export type { paths, components, operations } from './generated/gatewayApi';
export { createGatewayClient, type GatewayClient, type GatewayClientOptions } from './gatewayClient';
export {
  ClientCredentialsTokens,
  staticToken,
  type ClientCredentialsOptions,
  type TokenSource,
} from './auth/clientCredentials';
export {
  idempotentFetch,
  IDEMPOTENCY_KEY_HEADER,
  type IdempotentFetchOptions,
  type RetryPolicy,
} from './http/idempotentFetch';
export { cursorPages, cursorRecords, type CursorPage, type PageLimits } from './pagination/cursorPages';
export {
  listEvents,
  searchEscrows,
  type Escrow,
  type EscrowEventMessage,
  type EscrowSearch,
  type EventQuery,
} from './pagination/listEndpoints';
export {
  DEFAULT_TOLERANCE_SECONDS,
  parseSignatureHeader,
  verifyWebhookSignature,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_EVENT_TYPE_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WebhookVerificationError,
  type SignatureHeader,
  type VerifySignatureOptions,
} from './webhooks/webhookSignature';
export { verifyWebhook, type WebhookEvent } from './webhooks/webhookEvent';
export { ClientError, type ClientErrorCode, type WebhookVerificationCode } from './errors/clientError';
export { ApiProblemError, unwrap, type Problem } from './errors/apiProblemError';
export { committed, TransactionPendingError, type PendingTransaction } from './errors/transactionPending';
export {
  anyTwoPeersOf,
  describePolicy,
  organizationMaterial,
  PROOF_ERROR_CODES,
  PROOF_FORMAT,
  ProofError,
  verifyProof,
  type OrganizationMaterial,
  type PolicyRule,
  type ProofBundle,
  type ProofErrorCode,
  type ProofTrust,
  type VerifiedProof,
  type VerifiedTransition,
} from '@p2p-escrow/proof-verifier';
