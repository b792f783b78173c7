// One settlement worker per marketplace (payments/src/settlement): it consumes the escrow events in its
// own consumer group, pays what the marketplace's terminal escrows owe through the provider, and records
// each payment on the ledger as that marketplace's payments identity. Its configuration is P2P_*
// variables, read by payments/src/settlement/settlementConfig.ts.
import { mspKeystoreFile } from '@p2p-escrow/fabric-client';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { chaincodeName } from '../network/chaincodeDeployment';
import {
  caCertPath,
  channelName,
  foundingMarketplaces,
  identityDir,
  peerEndpoint,
  peerOrg,
} from '../network/topology';
import { ensureEventSigningKeys, eventVerifyKeyFile } from '../offchain/eventSigningKeys';
import { databaseMigrateTaskName } from '../platform/databaseMigrations';
import { escrowEventsTopic, kafkaAccessTaskName, settlementGroupId } from '../platform/kafkaAccess';
import { kafkaClientEnv } from '../platform/kafkaUsers';
import { paymentsDatabaseSchema, paymentsDatabaseUrl, postgresCaFile } from '../platform/postgres';
import type { DaemonSpec } from '../runner/serviceSpec';
import { stripeEnvironment, stripeMockServiceName } from './stripeMock';

const paymentsDir = path.join(repoRoot, 'payments');

export function settlementServiceName(org: string): string {
  return `settlement-${org.toLowerCase()}`;
}

/** The marketplaces that run a settlement worker: every founding marketplace of the topology. */
export function settlementOrgs(): string[] {
  return foundingMarketplaces().map((org) => org.name);
}

export function settlementOpsPort(org: string): number {
  const ports = portPlan.settlement[org];
  if (ports === undefined) throw new Error(`network/ports.json has no settlement entry for ${org}`);
  return ports.ops;
}

export function settlementOpsUrl(org: string): string {
  return `http://${endpoint(settlementOpsPort(org))}`;
}

/** The marketplace's payments identity (`<org>-payments`), on the marketplace's own peer. */
function paymentsFabricEnv(org: string): Record<string, string> {
  const spec = peerOrg(org);
  const mspDir = path.join(identityDir(spec.name, `${org.toLowerCase()}-payments`), 'msp');
  return {
    P2P_FABRIC_PEER_ENDPOINT: peerEndpoint(spec.name),
    P2P_FABRIC_PEER_HOST_ALIAS: 'localhost',
    P2P_FABRIC_PEER_TLS_ROOT_CERT: caCertPath(spec.name),
    P2P_FABRIC_MSP_ID: spec.mspId,
    P2P_FABRIC_CERT: path.join(mspDir, 'signcerts', 'cert.pem'),
    P2P_FABRIC_KEY: mspKeystoreFile(mspDir),
    P2P_FABRIC_CHANNEL: channelName,
    P2P_FABRIC_CHAINCODE: chaincodeName,
  };
}

/** The marketplace's payments schema, as its own role, over verified TLS. */
export function paymentsDatabaseEnv(org: string): Record<string, string> {
  return {
    P2P_DATABASE_URL: paymentsDatabaseUrl(org),
    P2P_DATABASE_CA: postgresCaFile,
    P2P_DATABASE_SCHEMA: paymentsDatabaseSchema(org),
  };
}

/**
 * Everything one marketplace's settlement worker (or its reconciliation command) is handed: the
 * events (verified with the relay's public key), the provider, the ledger as the marketplace's
 * payments identity, and its payments schema.
 */
export function settlementEnv(org: string): Record<string, string> {
  ensureEventSigningKeys();
  return {
    P2P_SETTLEMENT_MARKETPLACE: org,
    ...paymentsDatabaseEnv(org),
    ...kafkaClientEnv('settlement'),
    P2P_KAFKA_TOPIC: escrowEventsTopic,
    P2P_SETTLEMENT_GROUP_ID: settlementGroupId(org),
    // A worker killed mid-settlement hands its partitions to its restart within 15 s, not Kafka's 30 s.
    P2P_KAFKA_SESSION_TIMEOUT_MS: '15000',
    P2P_EVENT_VERIFY_KEY_FILE: eventVerifyKeyFile,
    ...paymentsFabricEnv(org),
    ...stripeEnvironment(),
    P2P_OPS_HOST: portPlan.host,
    P2P_OPS_PORT: String(settlementOpsPort(org)),
  };
}

export function settlementDaemon(org: string, networkReady: string): DaemonSpec {
  const port = settlementOpsPort(org);
  return {
    kind: 'daemon',
    name: settlementServiceName(org),
    description: `settlement worker of ${org}: terminal escrows paid out and refunded, recorded on the ledger`,
    dependsOn: [networkReady, databaseMigrateTaskName, kafkaAccessTaskName, stripeMockServiceName],
    command: process.execPath,
    args: [path.join(paymentsDir, 'dist', 'settlement', 'main.js')],
    get env() {
      return settlementEnv(org);
    },
    cwd: paymentsDir,
    ports: [port],
    health: { kind: 'http', url: `http://${endpoint(port)}/healthz` },
    startTimeoutSeconds: 60,
  };
}
