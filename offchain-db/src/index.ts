// What other packages may use of offchain-db: the escrow search (query builder, cursor, store port),
// the partner webhooks (subscription store, secrets, the signature format and its verifier), and the
// projection database's pool factory for tools that query it.

// Search over the projection.
export * from './search/escrowSearch';
export type { EscrowSearchStore } from './search/escrowSearchStore';

// Webhooks: subscriptions and their sealed secrets, and the signature partners verify.
export { PgWebhookStore } from './webhooks/pgWebhookStore';
export type {
  NewSubscription,
  SubscriptionWithSecret,
  WebhookSubscription,
  WebhookSubscriptionStore,
} from './webhooks/webhookSubscriptions';
export { WEBHOOK_ENDPOINT_FORBIDDEN, WebhookEndpointForbiddenError } from './webhooks/endpointPolicy';
export { WEBHOOK_LIMIT_REACHED, WebhookLimitReachedError } from './webhooks/webhookSubscriptions';
export { webhookEndpointConfig, type WebhookEndpointConfig } from './config/offchainConfig';
export { notifierConfig } from './config/offchainConfig';
export { newWebhookSecret, openWebhookSecret, sealWebhookSecret } from './webhooks/webhookSecrets';
export {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from './webhooks/signature';

// Is the mirror advancing? (the gateway's /readyz asks, as the relay's, notifier's and keeper's do)
export { mirrorHealth, type MirrorHealth, type MirrorHealthOptions } from './mirror/mirrorHealth';

// The projection database.
export { databaseConfig, type DatabaseConfig } from './config/offchainConfig';
export { newPool, quoteIdentifier } from './store/pgPool';
export { eventIdOf } from './mirror/blockEffects';
