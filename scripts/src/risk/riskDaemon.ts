// The risk service (risk/): consumes the escrow events in its own consumer group, assesses each
// against the rules in force, records decisions, review rows and pending holds in its schema `risk`,
// and raises holds on the ledger as Oversight's `risk-service` identity. Its configuration is P2P_*
// variables, read by risk/src/service/riskConfig.ts. The rules in force are a file in the state
// directory, made from risk/rules/default.json at the first start; the service reloads it when it
// changes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, stateDir } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { ensureEventSigningKeys, eventVerifyKeyFile } from '../offchain/eventSigningKeys';
import { RISK_SERVICE_IDENTITY, riskServiceFabricEnv } from '../offchain/offchainServices';
import { databaseMigrateTaskName } from '../platform/databaseMigrations';
import { escrowEventsTopic, kafkaAccessTaskName, riskGroupId } from '../platform/kafkaAccess';
import { kafkaClientEnv } from '../platform/kafkaUsers';
import { escrowServiceUrl, postgresCaFile } from '../platform/postgres';
import { securityEmitterEnv } from '../offchain/securityEvents';
import type { DaemonSpec } from '../runner/serviceSpec';

export const riskServiceName = 'risk';
/** Oversight's identity with the `risk` role: the only one the ledger lets raise a risk flag. */
export const RISK_IDENTITY = RISK_SERVICE_IDENTITY;

const riskDir = path.join(repoRoot, 'risk');
export const defaultRulesFile = path.join(riskDir, 'rules', 'default.json');
/** The rules in force: an operator edits this file, and the service reloads it. */
export const riskRulesFile = path.join(stateDir, 'risk', 'rules.json');
export const riskOpsUrl = `http://${endpoint(portPlan.risk.ops)}`;

/** The rules file in force, made from the shipped defaults when there is none yet. */
export function ensureRiskRulesFile(): string {
  if (!fs.existsSync(riskRulesFile)) {
    fs.mkdirSync(path.dirname(riskRulesFile), { recursive: true });
    fs.copyFileSync(defaultRulesFile, riskRulesFile);
  }
  return riskRulesFile;
}

/** The projection database as the risk service's own role, in its schema `risk`. */
export function riskDatabaseEnv(): Record<string, string> {
  return {
    P2P_DATABASE_URL: escrowServiceUrl('risk'),
    P2P_DATABASE_CA: postgresCaFile,
    P2P_DATABASE_SCHEMA: 'risk',
  };
}

export function riskEnv(): Record<string, string> {
  ensureEventSigningKeys();
  return {
    ...riskDatabaseEnv(),
    ...kafkaClientEnv('risk'),
    P2P_KAFKA_TOPIC: escrowEventsTopic,
    P2P_RISK_GROUP_ID: riskGroupId,
    P2P_KAFKA_SESSION_TIMEOUT_MS: '15000',
    P2P_EVENT_VERIFY_KEY_FILE: eventVerifyKeyFile,
    P2P_RISK_RULES_FILE: ensureRiskRulesFile(),
    ...riskServiceFabricEnv(),
    // Its flags and holds as security events: <state>/security/risk.jsonl and the security-events topic.
    ...securityEmitterEnv(riskServiceName),
    P2P_OPS_HOST: portPlan.host,
    P2P_OPS_PORT: String(portPlan.risk.ops),
  };
}

export function riskDaemon(networkReady: string): DaemonSpec {
  return {
    kind: 'daemon',
    name: riskServiceName,
    description: 'risk service: rules over the escrow events, review queue, holds on the ledger',
    dependsOn: [networkReady, databaseMigrateTaskName, kafkaAccessTaskName],
    command: process.execPath,
    args: [path.join(riskDir, 'dist', 'service', 'main.js')],
    get env() {
      return riskEnv();
    },
    cwd: riskDir,
    ports: [portPlan.risk.ops],
    health: { kind: 'http', url: `${riskOpsUrl}/healthz` },
    startTimeoutSeconds: 60,
  };
}
