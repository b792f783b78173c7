// The off-chain entries of the service list: the database migrations, the ledger mirror, the outbox
// relay, the webhook notifier and the deadline keeper (offchain-db/), with the environment each reads
// (P2P_<AREA>_<SETTING>, parsed by offchain-db/src/config/offchainConfig.ts).
import { mspKeystoreFile } from '@p2p-escrow/fabric-client';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { webhookKeyEncryptionKeyFile } from '../gateway/gatewayDaemon';
import { chaincodeName } from '../network/chaincodeDeployment';
import { caCertPath, channelName, identityDir, peerEndpoint, peerOrg } from '../network/topology';
import { databaseMigrateTaskName } from '../platform/databaseMigrations';
import {
  escrowDeadLetterTopic,
  escrowEventsTopic,
  kafkaAccessTaskName,
  notifierGroupId,
} from '../platform/kafkaAccess';
import { kafkaClientEnv, type KafkaUser } from '../platform/kafkaUsers';
import {
  escrowServiceUrl,
  postgresCaFile,
  postgresUrl,
  projectionMirrorUrl,
  type EscrowService,
} from '../platform/postgres';
import type { DaemonSpec, ServiceSpec } from '../runner/serviceSpec';
import { ensureEventSigningKeys, eventSigningKeyFile, eventVerifyKeyFile } from './eventSigningKeys';
import { webhookEndpointEnv } from './webhookEndpointEnv';

export const mirrorServiceName = 'mirror';
export const outboxRelayServiceName = 'outbox-relay';
export const notifierServiceName = 'notifier';
export const keeperServiceName = 'keeper';

const offchainDir = path.join(repoRoot, 'offchain-db');

/** The mirror follows Oversight's peer as its auditor: it may read every escrow and write nothing. */
const MIRROR_ORG = 'Oversight';
const MIRROR_IDENTITY = 'oscar';
/** The keeper submits deadline transitions (release, cancel) as Oversight's `keeper` identity. */
const KEEPER_IDENTITY = 'keeper';
/**
 * Oversight's risk service raises and clears risk flags (holds) as this identity, role `risk`,
 * registered at start by Oversight's CA bootstrap registrar (network/topology.json): no gateway's
 * registrar can issue the role, and its keys live under Oversight's state alone.
 */
export const RISK_SERVICE_IDENTITY = 'risk-service';

export const mirrorOpsUrl = `http://${endpoint(portPlan.offchain.mirrorOps)}`;
export const relayOpsUrl = `http://${endpoint(portPlan.offchain.relayOps)}`;
export const notifierOpsUrl = `http://${endpoint(portPlan.offchain.notifierOps)}`;
export const keeperOpsUrl = `http://${endpoint(portPlan.offchain.keeperOps)}`;
export const offchainTopic = escrowEventsTopic;

/** The projection database as `service`'s own role sees it, over verified TLS; `schema` selects a scratch copy. */
export function offchainDatabaseEnv(service: EscrowService, schema = 'public'): Record<string, string> {
  return {
    P2P_DATABASE_URL: escrowServiceUrl(service),
    P2P_DATABASE_CA: postgresCaFile,
    P2P_DATABASE_SCHEMA: schema,
  };
}

/**
 * The projection database as its owner, the migrations' role: for the scratch schemas that test
 * suites and benchmarks create, fill and drop. No daemon is ever handed it.
 */
export function offchainOwnerDatabaseEnv(schema = 'public'): Record<string, string> {
  return {
    P2P_DATABASE_URL: postgresUrl('escrow'),
    P2P_DATABASE_CA: postgresCaFile,
    P2P_DATABASE_SCHEMA: schema,
  };
}

/** The escrow events topic, and the brokers that carry it with `user`'s credentials only. */
export function offchainKafkaEnv(user: KafkaUser): Record<string, string> {
  return { ...kafkaClientEnv(user), P2P_KAFKA_TOPIC: offchainTopic };
}

/**
 * The Fabric connection of the mirror and the reconciler (or, with `identity`, another Oversight
 * client; with `orgName`, a client of that org through its own peer).
 */
export function offchainFabricEnv(identity = MIRROR_IDENTITY, orgName = MIRROR_ORG): Record<string, string> {
  const org = peerOrg(orgName);
  const mspDir = path.join(identityDir(org.name, identity), 'msp');
  return {
    P2P_FABRIC_PEER_ENDPOINT: peerEndpoint(org.name),
    P2P_FABRIC_PEER_HOST_ALIAS: 'localhost',
    P2P_FABRIC_PEER_TLS_ROOT_CERT: caCertPath(org.name),
    P2P_FABRIC_MSP_ID: org.mspId,
    P2P_FABRIC_CERT: path.join(mspDir, 'signcerts', 'cert.pem'),
    P2P_FABRIC_KEY: mspKeystoreFile(mspDir),
    P2P_FABRIC_CHANNEL: channelName,
    P2P_FABRIC_CHAINCODE: chaincodeName,
  };
}

/** The Fabric connection a risk service submits raiseRiskFlag and clearRiskFlag with (Oversight's peer). */
export function riskServiceFabricEnv(): Record<string, string> {
  return offchainFabricEnv(RISK_SERVICE_IDENTITY, 'Oversight');
}

/**
 * Where a daemon serves /healthz, /readyz and /metrics. Locally /readyz of the daemons downstream of
 * the mirror turns 503 after 6 s without progress, three of the mirror's 2 s heartbeats (production
 * default: 60 s); nothing local waits on /readyz, so a stall is told within seconds.
 */
export function offchainOpsEnv(port: number): Record<string, string> {
  return { P2P_OPS_HOST: portPlan.host, P2P_OPS_PORT: String(port), P2P_MIRROR_MAX_LAG_MS: '6000' };
}

/** Everything a one-off command needs: reconcile (read-only), a rebuild (the mirror's role). */
export function offchainCommandEnv(
  service: 'reconcile' | 'mirror',
  schema = 'public',
): Record<string, string> {
  return { ...offchainDatabaseEnv(service, schema), P2P_KAFKA_TOPIC: offchainTopic, ...offchainFabricEnv() };
}

function nodeDaemon(
  name: string,
  description: string,
  script: string,
  dependsOn: string[],
  port: number,
  env: () => Record<string, string>,
): DaemonSpec {
  return {
    kind: 'daemon',
    name,
    description,
    dependsOn,
    command: process.execPath,
    args: [path.join(offchainDir, 'dist', script)],
    get env() {
      return env();
    },
    cwd: offchainDir,
    ports: [port],
    health: { kind: 'http', url: `http://${endpoint(port)}/healthz` },
    startTimeoutSeconds: 60,
  };
}

export function mirrorDaemon(ready: readonly string[]): DaemonSpec {
  return nodeDaemon(
    mirrorServiceName,
    'ledger mirror: committed blocks into PostgreSQL, with the outbox and the checkpoint',
    'mirror/main.js',
    [...ready, databaseMigrateTaskName],
    portPlan.offchain.mirrorOps,
    () => ({
      ...offchainDatabaseEnv('mirror'),
      P2P_KAFKA_TOPIC: offchainTopic,
      ...offchainFabricEnv(),
      ...offchainOpsEnv(portPlan.offchain.mirrorOps),
    }),
  );
}

/** `mirror-marketa`: the mirror of a marketplace's own projection. */
export function orgMirrorServiceName(org: string): string {
  return `${mirrorServiceName}-${org.toLowerCase()}`;
}

function orgMirrorOpsPort(org: string): number {
  const ports = portPlan.projection[org];
  if (ports === undefined) throw new Error(`network/ports.json has no projection ports for ${org}`);
  return ports.mirrorOps;
}

export function orgMirrorOpsUrl(org: string): string {
  return `http://${endpoint(orgMirrorOpsPort(org))}`;
}

/** A marketplace's projection database as its mirror's own role sees it, over verified TLS. */
export function orgMirrorDatabaseEnv(org: string): Record<string, string> {
  return {
    P2P_DATABASE_URL: projectionMirrorUrl(org),
    P2P_DATABASE_CA: postgresCaFile,
    P2P_DATABASE_SCHEMA: 'public',
  };
}

/**
 * A marketplace's own projection: the mirror reads its own peer as its backend's identity, so the
 * blocks it projects carry the terms of that org's trades alone, into the org's own database. Its
 * outbox rows stay there: the consortium's events leave through the auditor's projection.
 */
export function orgMirrorDaemon(org: string, dependsOn: string[]): DaemonSpec {
  const port = orgMirrorOpsPort(org);
  return nodeDaemon(
    orgMirrorServiceName(org),
    `${org}'s ledger mirror: the trades ${org} is party to, into its own projection database`,
    'mirror/main.js',
    [...dependsOn, databaseMigrateTaskName],
    port,
    () => ({
      ...orgMirrorDatabaseEnv(org),
      P2P_KAFKA_TOPIC: offchainTopic,
      ...offchainFabricEnv(`${org.toLowerCase()}-backend`, org),
      ...offchainOpsEnv(port),
    }),
  );
}

export function outboxRelayDaemon(): DaemonSpec {
  return nodeDaemon(
    outboxRelayServiceName,
    'outbox relay: outbox rows to Kafka, marked sent once acknowledged',
    'outbox/main.js',
    [databaseMigrateTaskName, kafkaAccessTaskName],
    portPlan.offchain.relayOps,
    () => {
      ensureEventSigningKeys();
      return {
        ...offchainDatabaseEnv('relay'),
        ...offchainKafkaEnv('relay'),
        P2P_EVENT_SIGNING_KEY_FILE: eventSigningKeyFile,
        ...offchainOpsEnv(portPlan.offchain.relayOps),
      };
    },
  );
}

/**
 * Webhooks: consumes the escrow topic, verifies each event with the relay's public key, sets aside
 * what it cannot read or verify on the dead-letter topic, signs with the secrets the gateway sealed
 * with the webhook key. It gets that key only, never the one that opens users' Fabric identities.
 */
export function notifierEnv(): Record<string, string> {
  ensureEventSigningKeys();
  return {
    ...offchainDatabaseEnv('notifier'),
    ...offchainKafkaEnv('notifier'),
    P2P_KAFKA_DEAD_LETTER_TOPIC: escrowDeadLetterTopic,
    P2P_NOTIFIER_GROUP_ID: notifierGroupId,
    P2P_EVENT_VERIFY_KEY_FILE: eventVerifyKeyFile,
    P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: webhookKeyEncryptionKeyFile,
    ...webhookEndpointEnv(),
    ...offchainOpsEnv(portPlan.offchain.notifierOps),
  };
}

export function notifierDaemon(): DaemonSpec {
  return nodeDaemon(
    notifierServiceName,
    'webhook notifier: escrow events to partner endpoints, signed, retried, dead-lettered',
    'webhooks/main.js',
    [databaseMigrateTaskName, kafkaAccessTaskName],
    portPlan.offchain.notifierOps,
    notifierEnv,
  );
}

export function keeperDaemon(ready: readonly string[]): DaemonSpec {
  return nodeDaemon(
    keeperServiceName,
    'deadline keeper: releases escrows past inspection, cancels escrows unfunded past fund-by',
    'keeper/main.js',
    [...ready, databaseMigrateTaskName],
    portPlan.offchain.keeperOps,
    () => ({
      ...offchainDatabaseEnv('keeper'),
      ...offchainFabricEnv(KEEPER_IDENTITY),
      ...offchainOpsEnv(portPlan.offchain.keeperOps),
    }),
  );
}

/**
 * The consortium's event pipeline in the demo: the relay publishes the auditor's projection's outbox
 * (Oversight's mirror, with the keeper, is Oversight's deployment: scripts/src/services.ts), the
 * notifier delivers webhooks.
 */
export function offchainServices(): ServiceSpec[] {
  return [outboxRelayDaemon(), notifierDaemon()];
}
