// What each off-chain process is configured with: environment variables named P2P_<AREA>_<SETTING>,
// read through one zod schema per process. A missing or malformed setting is a ConfigError naming
// every offending variable, raised before the process connects to anything. The service runner
// (scripts/src/offchain/) fills these from the port plan and the state directory.
import { organizationOfMspId, type Organization } from '@p2p-escrow/chaincode';
import {
  databaseConnectionOf,
  databaseSettings as connectionSettings,
  ledgerClientOf,
  ledgerClientSettings as fabricSettings,
  readEnvironment,
  setting,
  type DatabaseConnection,
  type Env,
  type LedgerClientConfig,
} from '@p2p-escrow/fabric-client';
import { z } from 'zod';
import { DEFAULT_REVIEW_RING_CONFIG, type ReviewRingConfig } from '../reviewRings/reviewRingModel';
import { isCidr, parseCidr, type EndpointPolicy } from '../webhooks/endpointPolicy';

export interface DatabaseConfig extends DatabaseConnection {
  readonly schema: string;
  readonly applicationName: string;
}

/** How an off-chain daemon reaches the ledger. */
export type FabricConfig = LedgerClientConfig;

/** A Kafka client's connection: TLS trusting `caFile`, then SCRAM-SHA-512 as `username`. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly caFile: string;
  readonly username: string;
  readonly password: string;
}

export interface KafkaConfig extends KafkaConnection {
  readonly topic: string;
  readonly clientId: string;
}

export interface OpsConfig {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_TOPIC = 'escrow-events';

/** The service's own role (P2P_DATABASE_URL), the CA its TLS trusts (P2P_DATABASE_CA), and the schema. */
const databaseSettings = connectionSettings.extend({
  P2P_DATABASE_SCHEMA: setting
    .text()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain schema name')
    .default('public'),
});

const topicSettings = z.object({ P2P_KAFKA_TOPIC: setting.text().default(DEFAULT_TOPIC) });

/** A Kafka client's connection (KafkaConnection), whatever topics it reads or writes. */
export const kafkaConnectionSettings = z.object({
  P2P_KAFKA_BROKERS: setting.list(),
  /** The CA the broker's certificate is checked against. */
  P2P_KAFKA_CA_FILE: setting.file(),
  P2P_KAFKA_USERNAME: setting.text(),
  P2P_KAFKA_PASSWORD: setting.text(),
});

export function kafkaConnectionOf(settings: z.output<typeof kafkaConnectionSettings>): KafkaConnection {
  return {
    brokers: settings.P2P_KAFKA_BROKERS,
    caFile: settings.P2P_KAFKA_CA_FILE,
    username: settings.P2P_KAFKA_USERNAME,
    password: settings.P2P_KAFKA_PASSWORD,
  };
}

const kafkaSettings = topicSettings.extend(kafkaConnectionSettings.shape);

/** A daemon's operations endpoint (health and metrics). */
export const opsSettings = z.object({
  P2P_OPS_HOST: setting.text().default('127.0.0.1'),
  P2P_OPS_PORT: setting.port(),
});

/**
 * The key-encryption key the gateway seals webhook secrets with (its webhook key, not the one of
 * users' Fabric identities); created by the gateway, maybe later.
 */
const keyFileSettings = z.object({ P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: setting.text() });

/** How long the daemons downstream of the mirror tolerate it not advancing before /readyz says so. */
const mirrorLagSettings = z.object({ P2P_MIRROR_MAX_LAG_MS: setting.positive().default(60_000) });

function entriesOf(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Where webhooks may go (read by the gateway at registration and the notifier at delivery). */
const webhookEndpointSettings = z.object({
  /** Non-public ranges allowed anyway, e.g. `127.0.0.1/32` for local development; none by default. */
  P2P_WEBHOOK_ALLOWED_CIDRS: z
    .string()
    .default('')
    .transform(entriesOf)
    .refine((entries) => entries.every(isCidr), 'lists an entry that is not an IP address or CIDR range'),
  P2P_WEBHOOK_MAX_SUBSCRIPTIONS: setting.positive().int().default(20),
});

/** A projection mirrors what its org may read, so its identity must be one of the channel's orgs. */
const projectionIdentitySettings = z.object({
  P2P_FABRIC_MSP_ID: setting
    .text()
    .refine(
      (mspId) => organizationOfMspId(mspId) !== undefined,
      'is not the MSP ID of an org (its name followed by MSP)',
    ),
});

const mirrorSchema = databaseSettings
  .extend(topicSettings.shape)
  .extend(fabricSettings.shape)
  .extend(projectionIdentitySettings.shape);
const kafkaDaemonSchema = databaseSettings
  .extend(kafkaSettings.shape)
  .extend(opsSettings.shape)
  .extend(mirrorLagSettings.shape);
/** The relay signs every event it publishes with this Ed25519 private key (PKCS#8 PEM). */
const relaySchema = kafkaDaemonSchema.extend({ P2P_EVENT_SIGNING_KEY_FILE: setting.file() });
const replaySchema = databaseSettings.extend(keyFileSettings.shape);
const notifierSchema = kafkaDaemonSchema
  .extend(keyFileSettings.shape)
  .extend(webhookEndpointSettings.shape)
  .extend({
    P2P_NOTIFIER_ENDPOINT_CONCURRENCY: setting.positive().int().default(4),
    P2P_NOTIFIER_GROUP_ID: setting.text().default('webhook-notifier'),
    /** The relay's public key (SPKI PEM): events not signed with its private key are dead-lettered. */
    P2P_EVENT_VERIFY_KEY_FILE: setting.file(),
    /** Where unreadable or unverifiable messages go; default `<topic>.dead-letter`. */
    P2P_KAFKA_DEAD_LETTER_TOPIC: setting.text().optional(),
    P2P_NOTIFIER_POLL_MS: setting.positive().optional(),
    P2P_NOTIFIER_REQUEST_TIMEOUT_MS: setting.positive().optional(),
  });
const keeperSchema = databaseSettings
  .extend(fabricSettings.shape)
  .extend(opsSettings.shape)
  .extend(mirrorLagSettings.shape)
  .extend({
    P2P_KEEPER_INTERVAL_MS: setting.positive().default(2000),
    P2P_KEEPER_BATCH_SIZE: setting.positive().default(50),
    P2P_KEEPER_RETRY_AFTER_MS: setting.positive().default(30_000),
  });
const reconcileSchema = databaseSettings.extend(fabricSettings.shape).extend({
  /** Marketplaces whose index enumerates the ledger's escrows; none: every one the chaincode's registry holds. */
  P2P_RECONCILE_MARKETPLACES: setting.list().default([]),
  P2P_RECONCILE_CATCH_UP_MS: setting.positive().default(60_000),
});

/** A share between 0 and 1 (a review-ring threshold). */
const share = () => z.coerce.number('must be a number from 0 to 1').min(0).max(1);

/** The review-ring finder's thresholds (ReviewRingConfig); each defaults to DEFAULT_REVIEW_RING_CONFIG's. */
const reviewRingsSchema = databaseSettings.extend({
  P2P_REVIEW_RINGS_HIGH_RATING: z.coerce
    .number()
    .int()
    .min(1)
    .max(5)
    .default(DEFAULT_REVIEW_RING_CONFIG.highRating),
  P2P_REVIEW_RINGS_MIN_MEMBERS: z.coerce.number().int().min(3).default(DEFAULT_REVIEW_RING_CONFIG.minMembers),
  P2P_REVIEW_RINGS_MIN_PAIR_DENSITY: share().default(DEFAULT_REVIEW_RING_CONFIG.minPairDensity),
  P2P_REVIEW_RINGS_MIN_INTERNAL_SHARE: share().default(DEFAULT_REVIEW_RING_CONFIG.minInternalShare),
  P2P_REVIEW_RINGS_MIN_MEMBER_INTERNAL_SHARE: share().default(
    DEFAULT_REVIEW_RING_CONFIG.minMemberInternalShare,
  ),
  P2P_REVIEW_RINGS_MIN_INTERNAL_TRADES: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_REVIEW_RING_CONFIG.minInternalTrades),
  P2P_REVIEW_RINGS_MIN_INTERNAL_VOLUME: z
    .string()
    .regex(/^\d{1,18}$/, 'must be an amount in minor units')
    .transform((value) => BigInt(value))
    .default(DEFAULT_REVIEW_RING_CONFIG.minInternalVolume),
});

type DatabaseSettings = z.output<typeof databaseSettings>;
type OpsSettings = z.output<typeof opsSettings>;

function databaseOf(settings: DatabaseSettings, applicationName: string): DatabaseConfig {
  return { ...databaseConnectionOf(settings), schema: settings.P2P_DATABASE_SCHEMA, applicationName };
}

export function opsOf(settings: OpsSettings): OpsConfig {
  return { host: settings.P2P_OPS_HOST, port: settings.P2P_OPS_PORT };
}

/** The projection database alone (tools and benchmarks that only query it). */
/** Settings that hold a password: a problem names them but never shows their value. */
const SECRET_VARIABLES = ['P2P_DATABASE_URL', 'P2P_KAFKA_PASSWORD'];

export function databaseConfig(env: Env, applicationName: string): DatabaseConfig {
  return databaseOf(
    readEnvironment(applicationName, databaseSettings, env, SECRET_VARIABLES),
    applicationName,
  );
}

export interface MirrorConfig {
  readonly database: DatabaseConfig;
  readonly fabric: FabricConfig;
  /** The org of the mirror's identity: it projects the escrows of the terms collections it is a member of. */
  readonly organization: Organization;
  /** The topic written on each outbox row. */
  readonly topic: string;
}

function organizationOf(mspId: string): Organization {
  const organization = organizationOfMspId(mspId);
  // The schema refused any other MSP ID; this only narrows the type.
  if (organization === undefined) throw new Error(`${mspId} is not the MSP ID of an org`);
  return organization;
}

function mirrorOf(settings: z.output<typeof mirrorSchema>): MirrorConfig {
  return {
    database: databaseOf(settings, 'mirror'),
    fabric: ledgerClientOf(settings),
    organization: organizationOf(settings.P2P_FABRIC_MSP_ID),
    topic: settings.P2P_KAFKA_TOPIC,
  };
}

/** `mirror rebuild`: the mirror without its operations endpoint. */
export function mirrorRebuildConfig(env: Env): MirrorConfig {
  return mirrorOf(readEnvironment('mirror', mirrorSchema, env, SECRET_VARIABLES));
}

export function mirrorConfig(env: Env): MirrorConfig & { readonly ops: OpsConfig } {
  const settings = readEnvironment('mirror', mirrorSchema.extend(opsSettings.shape), env, SECRET_VARIABLES);
  return { ...mirrorOf(settings), ops: opsOf(settings) };
}

interface KafkaDaemonConfig {
  readonly database: DatabaseConfig;
  readonly kafka: KafkaConfig;
  readonly ops: OpsConfig;
  /** /readyz turns 503 once the mirror has not advanced for this long. */
  readonly mirrorMaxLagMs: number;
}

export interface RelayConfig extends KafkaDaemonConfig {
  readonly signingKeyFile: string;
}

export interface WebhookEndpointConfig {
  readonly policy: EndpointPolicy;
  /** Active subscriptions one marketplace may hold. */
  readonly maxSubscriptionsPerMarketplace: number;
}

function webhookEndpointsOf(settings: z.output<typeof webhookEndpointSettings>): WebhookEndpointConfig {
  return {
    policy: { allowed: settings.P2P_WEBHOOK_ALLOWED_CIDRS.map(parseCidr) },
    maxSubscriptionsPerMarketplace: settings.P2P_WEBHOOK_MAX_SUBSCRIPTIONS,
  };
}

/** The webhook endpoint rules of a process that registers subscriptions (the gateway). */
export function webhookEndpointConfig(env: Env, service = 'gateway'): WebhookEndpointConfig {
  return webhookEndpointsOf(readEnvironment(service, webhookEndpointSettings, env));
}

function kafkaOf(settings: z.output<typeof kafkaSettings>, clientId: string): KafkaConfig {
  return { ...kafkaConnectionOf(settings), topic: settings.P2P_KAFKA_TOPIC, clientId };
}

export function relayConfig(env: Env): RelayConfig {
  const settings = readEnvironment('outbox-relay', relaySchema, env, SECRET_VARIABLES);
  return {
    database: databaseOf(settings, 'outbox-relay'),
    kafka: kafkaOf(settings, 'outbox-relay'),
    ops: opsOf(settings),
    mirrorMaxLagMs: settings.P2P_MIRROR_MAX_LAG_MS,
    signingKeyFile: settings.P2P_EVENT_SIGNING_KEY_FILE,
  };
}

export interface WebhookReplayConfig {
  readonly database: DatabaseConfig;
  readonly keyEncryptionKeyFile: string;
}

/** `notifier replay`: the delivery log and the key that opens the secrets, nothing else. */
export function webhookReplayConfig(env: Env): WebhookReplayConfig {
  const settings = readEnvironment('notifier', replaySchema, env, SECRET_VARIABLES);
  return {
    database: databaseOf(settings, 'notifier'),
    keyEncryptionKeyFile: settings.P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE,
  };
}

export interface NotifierConfig extends KafkaDaemonConfig, WebhookReplayConfig {
  readonly verifyKeyFile: string;
  readonly deadLetterTopic: string;
  readonly endpoints: WebhookEndpointConfig;
  readonly endpointConcurrency: number;
  readonly groupId: string;
  readonly pollMs: number | undefined;
  readonly requestTimeoutMs: number | undefined;
}

export function notifierConfig(env: Env): NotifierConfig {
  const settings = readEnvironment('notifier', notifierSchema, env, SECRET_VARIABLES);
  return {
    database: databaseOf(settings, 'notifier'),
    kafka: kafkaOf(settings, 'webhook-notifier'),
    verifyKeyFile: settings.P2P_EVENT_VERIFY_KEY_FILE,
    deadLetterTopic: settings.P2P_KAFKA_DEAD_LETTER_TOPIC ?? `${settings.P2P_KAFKA_TOPIC}.dead-letter`,
    ops: opsOf(settings),
    mirrorMaxLagMs: settings.P2P_MIRROR_MAX_LAG_MS,
    keyEncryptionKeyFile: settings.P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE,
    endpoints: webhookEndpointsOf(settings),
    endpointConcurrency: settings.P2P_NOTIFIER_ENDPOINT_CONCURRENCY,
    groupId: settings.P2P_NOTIFIER_GROUP_ID,
    pollMs: settings.P2P_NOTIFIER_POLL_MS,
    requestTimeoutMs: settings.P2P_NOTIFIER_REQUEST_TIMEOUT_MS,
  };
}

export interface KeeperConfig {
  readonly database: DatabaseConfig;
  readonly fabric: FabricConfig;
  readonly ops: OpsConfig;
  readonly mirrorMaxLagMs: number;
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly retryAfterMs: number;
}

export function keeperConfig(env: Env): KeeperConfig {
  const settings = readEnvironment('keeper', keeperSchema, env, SECRET_VARIABLES);
  return {
    database: databaseOf(settings, 'keeper'),
    fabric: ledgerClientOf(settings),
    ops: opsOf(settings),
    mirrorMaxLagMs: settings.P2P_MIRROR_MAX_LAG_MS,
    intervalMs: settings.P2P_KEEPER_INTERVAL_MS,
    batchSize: settings.P2P_KEEPER_BATCH_SIZE,
    retryAfterMs: settings.P2P_KEEPER_RETRY_AFTER_MS,
  };
}

export interface ReconcileConfig {
  readonly database: DatabaseConfig;
  readonly fabric: FabricConfig;
  readonly marketplaces: readonly string[];
  readonly catchUpTimeoutMs: number;
}

export function reconcileConfig(env: Env): ReconcileConfig {
  const settings = readEnvironment('reconcile', reconcileSchema, env, SECRET_VARIABLES);
  return {
    database: databaseOf(settings, 'reconcile'),
    fabric: ledgerClientOf(settings),
    marketplaces: settings.P2P_RECONCILE_MARKETPLACES,
    catchUpTimeoutMs: settings.P2P_RECONCILE_CATCH_UP_MS,
  };
}

export interface ReviewRingsJobConfig {
  readonly database: DatabaseConfig;
  readonly finder: ReviewRingConfig;
}

export function reviewRingsConfig(env: Env): ReviewRingsJobConfig {
  const settings = readEnvironment('review-rings', reviewRingsSchema, env, SECRET_VARIABLES);
  return {
    database: databaseOf(settings, 'review-rings'),
    finder: {
      highRating: settings.P2P_REVIEW_RINGS_HIGH_RATING,
      minMembers: settings.P2P_REVIEW_RINGS_MIN_MEMBERS,
      minPairDensity: settings.P2P_REVIEW_RINGS_MIN_PAIR_DENSITY,
      minInternalShare: settings.P2P_REVIEW_RINGS_MIN_INTERNAL_SHARE,
      minMemberInternalShare: settings.P2P_REVIEW_RINGS_MIN_MEMBER_INTERNAL_SHARE,
      minInternalTrades: settings.P2P_REVIEW_RINGS_MIN_INTERNAL_TRADES,
      minInternalVolume: settings.P2P_REVIEW_RINGS_MIN_INTERNAL_VOLUME,
    },
  };
}

/**
 * A consumer of the relay's signed events outside this package (a settlement worker, the risk
 * service): Kafka, its consumer group's session timeout, the relay's public key and its operations
 * endpoint. Each adds its own group id variable.
 */
export const eventConsumerSettings = kafkaSettings.extend(opsSettings.shape).extend({
  /** How long the group waits for a silent member (a killed consumer) before handing its partitions on. */
  P2P_KAFKA_SESSION_TIMEOUT_MS: setting.positive().default(30_000),
  /** The relay's public key: events it did not sign are never acted on. */
  P2P_EVENT_VERIFY_KEY_FILE: setting.file(),
});

export interface EventConsumerConfig {
  readonly kafka: KafkaConnection & {
    readonly topic: string;
    readonly groupId: string;
    readonly sessionTimeoutMs: number;
  };
  readonly verifyKeyFile: string;
  readonly ops: OpsConfig;
}

export function eventConsumerOf(
  settings: z.output<typeof eventConsumerSettings>,
  groupId: string,
): EventConsumerConfig {
  return {
    kafka: {
      ...kafkaConnectionOf(settings),
      topic: settings.P2P_KAFKA_TOPIC,
      groupId,
      sessionTimeoutMs: settings.P2P_KAFKA_SESSION_TIMEOUT_MS,
    },
    verifyKeyFile: settings.P2P_EVENT_VERIFY_KEY_FILE,
    ops: opsOf(settings),
  };
}
