// The off-chain entries of the service list: the schema migration task, the ledger mirror and the
// outbox relay (offchain-db/), with the environment they read (offchain-db/src/config/).
import * as path from 'node:path';
import { runCommand } from '../env/command';
import { repoRoot } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { gatewayKeyEncryptionKeyFile } from '../gateway/gatewayDaemon';
import { mspPrivateKey } from '../network/certificateAuthority';
import { chaincodeName } from '../network/chaincodeDeployment';
import { caCertPath, channelName, identityDir, peerEndpoint, peerOrg, peerOrgs } from '../network/topology';
import { kafkaBootstrap, kafkaServiceName } from '../platform/kafka';
import { postgresDatabasesTaskName, postgresUrl } from '../platform/postgres';
import type { DaemonSpec, ServiceSpec, TaskSpec } from '../runner/serviceSpec';

export const offchainMigrateTaskName = 'offchain-migrate';
export const mirrorServiceName = 'mirror';
export const outboxRelayServiceName = 'outbox-relay';
export const notifierServiceName = 'notifier';
export const keeperServiceName = 'keeper';

const offchainDir = path.join(repoRoot, 'offchain-db');
const migrationsDir = path.join(offchainDir, 'migrations');
const migrateBin = path.join(repoRoot, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');

/** The mirror follows Oversight's peer as its auditor: it may read every escrow and write nothing. */
const MIRROR_ORG = 'Oversight';
const MIRROR_IDENTITY = 'oscar';
/** The keeper submits deadline transitions (release, cancel) as Oversight's `keeper` identity. */
const KEEPER_IDENTITY = 'keeper';

export const mirrorOpsUrl = `http://${endpoint(portPlan.offchain.mirrorOps)}`;
export const relayOpsUrl = `http://${endpoint(portPlan.offchain.relayOps)}`;
export const notifierOpsUrl = `http://${endpoint(portPlan.offchain.notifierOps)}`;
export const keeperOpsUrl = `http://${endpoint(portPlan.offchain.keeperOps)}`;
export const offchainTopic = 'escrow-events';

/** Database and topic settings shared by every off-chain process; `schema` selects a scratch copy. */
export function offchainDatabaseEnv(schema = 'public'): Record<string, string> {
  return {
    OFFCHAIN_DATABASE_URL: postgresUrl('escrow'),
    OFFCHAIN_DB_SCHEMA: schema,
    KAFKA_TOPIC: offchainTopic,
  };
}

/** The Fabric connection of the mirror and the reconciler (or, with `identity`, another Oversight client). */
export function offchainFabricEnv(identity = MIRROR_IDENTITY): Record<string, string> {
  const org = peerOrg(MIRROR_ORG);
  const mspDir = path.join(identityDir(org.name, identity), 'msp');
  return {
    FABRIC_PEER_ENDPOINT: peerEndpoint(org.name),
    FABRIC_PEER_HOST_ALIAS: 'localhost',
    FABRIC_TLS_CA: caCertPath(org.name),
    FABRIC_MSP_ID: org.mspId,
    FABRIC_CERT: path.join(mspDir, 'signcerts', 'cert.pem'),
    FABRIC_KEY: mspPrivateKey(mspDir),
    FABRIC_CHANNEL: channelName,
    FABRIC_CHAINCODE: chaincodeName,
  };
}

/** Everything a one-off command (reconcile, rebuild) needs. */
export function offchainCommandEnv(schema = 'public'): Record<string, string> {
  return { ...offchainDatabaseEnv(schema), ...offchainFabricEnv(), KAFKA_BROKERS: kafkaBootstrap };
}

/** Applies offchain-db/migrations to `schema` (created when missing); idempotent. */
export async function migrateOffchain(schema = 'public'): Promise<string> {
  return runCommand(
    process.execPath,
    [
      migrateBin,
      'up',
      '--migrations-dir',
      migrationsDir,
      '--schema',
      schema,
      '--create-schema',
      '--migrations-schema',
      schema,
      '--create-migrations-schema',
      '--no-verbose',
    ],
    { env: { DATABASE_URL: postgresUrl('escrow') }, cwd: offchainDir },
  );
}

export function offchainMigrateTask(): TaskSpec {
  return {
    kind: 'task',
    name: offchainMigrateTaskName,
    description: 'apply the off-chain schema migrations (offchain-db/migrations)',
    dependsOn: [postgresDatabasesTaskName],
    run: async () => {
      await migrateOffchain();
    },
  };
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

export function mirrorDaemon(networkReady: string): DaemonSpec {
  return nodeDaemon(
    mirrorServiceName,
    'ledger mirror: committed blocks into PostgreSQL, with the outbox and the checkpoint',
    'mirror/main.js',
    [networkReady, offchainMigrateTaskName],
    portPlan.offchain.mirrorOps,
    () => ({
      ...offchainDatabaseEnv(),
      ...offchainFabricEnv(),
      MIRROR_OPS_PORT: String(portPlan.offchain.mirrorOps),
    }),
  );
}

export function outboxRelayDaemon(): DaemonSpec {
  return nodeDaemon(
    outboxRelayServiceName,
    'outbox relay: outbox rows to Kafka, marked sent once acknowledged',
    'outbox/main.js',
    [offchainMigrateTaskName, kafkaServiceName],
    portPlan.offchain.relayOps,
    () => ({
      ...offchainDatabaseEnv(),
      KAFKA_BROKERS: kafkaBootstrap,
      RELAY_OPS_PORT: String(portPlan.offchain.relayOps),
    }),
  );
}

/** Webhooks: consumes the escrow topic, signs with the secrets the gateway sealed. */
export function notifierEnv(): Record<string, string> {
  return {
    ...offchainDatabaseEnv(),
    KAFKA_BROKERS: kafkaBootstrap,
    WEBHOOK_KEY_FILE: gatewayKeyEncryptionKeyFile,
    NOTIFIER_OPS_PORT: String(portPlan.offchain.notifierOps),
  };
}

export function notifierDaemon(): DaemonSpec {
  return nodeDaemon(
    notifierServiceName,
    'webhook notifier: escrow events to partner endpoints, signed, retried, dead-lettered',
    'webhooks/main.js',
    [offchainMigrateTaskName, kafkaServiceName],
    portPlan.offchain.notifierOps,
    notifierEnv,
  );
}

export function keeperDaemon(networkReady: string): DaemonSpec {
  return nodeDaemon(
    keeperServiceName,
    'deadline keeper: releases escrows past inspection, cancels escrows unfunded past fund-by',
    'keeper/main.js',
    [networkReady, offchainMigrateTaskName],
    portPlan.offchain.keeperOps,
    () => ({
      ...offchainDatabaseEnv(),
      ...offchainFabricEnv(KEEPER_IDENTITY),
      FABRIC_ORG_MSP_IDS: JSON.stringify(Object.fromEntries(peerOrgs.map((org) => [org.name, org.mspId]))),
      KEEPER_OPS_PORT: String(portPlan.offchain.keeperOps),
    }),
  );
}

export function offchainServices(networkReady: string): ServiceSpec[] {
  return [
    offchainMigrateTask(),
    mirrorDaemon(networkReady),
    outboxRelayDaemon(),
    notifierDaemon(),
    keeperDaemon(networkReady),
  ];
}
