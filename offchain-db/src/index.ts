// What other packages may use of offchain-db: the escrow search (query builder, cursor, store port),
// the events API's query, the partner webhooks (subscription store, redelivery, secrets, the signature
// format and its verifier), the review-ring finder and its flags, and the projection database's pool
// factory for tools that query it.

// Search over the projection.
export * from './search/escrowSearch';
export type { EscrowSearchStore } from './search/escrowSearchStore';

// The events API over the projection: type patterns, filters, ledger-order cursor (query builder).
export * from './events/eventQuery';

// Webhooks: subscriptions and their sealed secrets, and the signature partners verify.
export { PgWebhookStore } from './webhooks/pgWebhookStore';
export type {
  NewSubscription,
  SubscriptionWithSecret,
  WebhookSubscription,
  WebhookSubscriptionStore,
} from './webhooks/webhookSubscriptions';
export {
  FAILED_EVENT_IDS_LIMIT,
  PgWebhookRedelivery,
  type WebhookRedelivery,
} from './webhooks/pgWebhookRedelivery';
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
export {
  mirrorHealth,
  mirrorPositions,
  type MirrorHealth,
  type MirrorHealthOptions,
  type MirrorPosition,
} from './mirror/mirrorHealth';
// The mirror's lag per slice of recent minutes, from the projection (the consortium status shows it).
export {
  DEFAULT_MIRROR_LAG_WINDOW,
  mirrorLagHistory,
  type MirrorLagBucket,
  type MirrorLagWindow,
} from './mirror/mirrorLagHistory';

// The projection database.
export { databaseConfig, type DatabaseConfig } from './config/offchainConfig';
export { newPool, quoteIdentifier } from './store/pgPool';
export { eventIdOf } from './mirror/blockEffects';

// Review rings: the pure finder (its algorithm is its module comment), its model and thresholds, and
// the flagged reviews the gateways leave out of reputation on request.
export { findReviewRings } from './reviewRings/ringFinder';
export {
  DEFAULT_REVIEW_RING_CONFIG,
  type ReviewRing,
  type ReviewRingConfig,
  type RingParty,
  type RingReview,
  type RingTrade,
} from './reviewRings/reviewRingModel';
export {
  PgFlaggedReviews,
  type FlaggedReviews,
  type FlaggedReviewTally,
} from './reviewRings/pgFlaggedReviews';

// The escrow events on Kafka, for their other consumers (the settlement workers): the one client
// recipe, the relay's origin check and the message reader; and the daemons' operations endpoint.
export { kafkaClient } from './kafka/kafkaClient';
export { EventVerifier } from './kafka/eventOrigin';
export { readEscrowEvent, type EventReading } from './webhooks/eventIntake';
export type { EscrowEvent as EscrowEventMessage } from './webhooks/deliveryStore';
export {
  eventConsumerOf,
  eventConsumerSettings,
  type EventConsumerConfig,
  type KafkaConnection,
  type OpsConfig,
} from './config/offchainConfig';
export { startOpsServer, type HealthReport } from './ops/opsServer';
export { runProcess } from './ops/processMain';
export { StoppableLoop } from './ops/stoppableLoop';

// Security events for the SOC (the schema and emitter are fabric-client's): the Kafka sink and the
// emitter each service builds from its environment, the risk service's two events, and the alerting
// rules (their engine, the alert's id header, the target file).
export {
  KafkaSecurityEventSink,
  SECURITY_EVENTS_TOPIC,
  securityEventKey,
} from './security/kafkaSecurityEventSink';
export { securityEmitterFromEnvironment, securityEmitterMetrics } from './security/securityEmitterSetup';
export { recordRiskFlagRaised, recordRiskHold, type RiskEventContext } from './security/riskSecurityEvents';
export {
  AlertRuleEngine,
  AlertRulesInvalidError,
  alertKeyFields,
  readAlertRules,
  type AlertKeyField,
  type AlertRule,
  type SecurityAlert,
} from './alerting/alertRules';
export { ALERT_ID_HEADER } from './alerting/alertDelivery';
export { writeAlertTarget } from './alerting/alertTarget';
export { ALERTING_GROUP_ID } from './alerting/alertingConfig';
