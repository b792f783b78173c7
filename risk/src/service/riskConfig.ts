// What the risk service is configured with: P2P_* variables read once at start (fabric-client's
// readEnvironment), handed by the runner (scripts/src/risk/riskDaemon.ts).
import {
  chaincodeSettings,
  databaseConnectionOf,
  databaseSettings,
  identitySettings,
  peerEndpointOf,
  peerSettings,
  readEnvironment,
  setting,
  type Env,
} from '@p2p-escrow/fabric-client';
import type { DatabaseConfig, KafkaConnection, OpsConfig } from '@p2p-escrow/offchain-db';
import type { HoldLedgerConfig } from '../holds/fabricHoldLedger';

export interface RiskConfig {
  readonly database: DatabaseConfig;
  readonly kafka: KafkaConnection & {
    readonly topic: string;
    readonly groupId: string;
    readonly sessionTimeoutMs: number;
  };
  readonly verifyKeyFile: string;
  readonly fabric: HoldLedgerConfig;
  readonly ops: OpsConfig;
  /** The rules file; the service reloads it when it changes (or on SIGHUP). */
  readonly rulesFile: string;
  readonly rulesPollMs: number;
  readonly holdPollMs: number;
}

const schemaName = setting.text().regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain schema name');

/** The database role and schema, Kafka, the relay's key, the ledger as the risk identity, the rules. */
export const riskSettings = databaseSettings
  .extend(peerSettings.shape)
  .extend(identitySettings.shape)
  .extend(chaincodeSettings.shape)
  .extend({
    P2P_DATABASE_SCHEMA: schemaName.default('risk'),
    P2P_KAFKA_BROKERS: setting.list(),
    P2P_KAFKA_CA_FILE: setting.file(),
    P2P_KAFKA_USERNAME: setting.text(),
    P2P_KAFKA_PASSWORD: setting.text(),
    P2P_KAFKA_TOPIC: setting.text().default('escrow-events'),
    P2P_RISK_GROUP_ID: setting.text().default('risk-service'),
    P2P_KAFKA_SESSION_TIMEOUT_MS: setting.positive().default(30_000),
    /** The relay's public key: events it did not sign are never acted on. */
    P2P_EVENT_VERIFY_KEY_FILE: setting.file(),
    P2P_OPS_HOST: setting.text().default('127.0.0.1'),
    P2P_OPS_PORT: setting.port(),
    P2P_RISK_RULES_FILE: setting.file(),
    P2P_RISK_RULES_POLL_MS: setting.positive().default(1000),
    P2P_RISK_HOLD_POLL_MS: setting.positive().default(1000),
  });

const secretVariables = ['P2P_DATABASE_URL', 'P2P_KAFKA_PASSWORD'];

export function readRiskConfig(env: Env, service = 'risk'): RiskConfig {
  const s = readEnvironment(service, riskSettings, env, secretVariables);
  return {
    database: { ...databaseConnectionOf(s), schema: s.P2P_DATABASE_SCHEMA, applicationName: service },
    kafka: {
      brokers: s.P2P_KAFKA_BROKERS,
      caFile: s.P2P_KAFKA_CA_FILE,
      username: s.P2P_KAFKA_USERNAME,
      password: s.P2P_KAFKA_PASSWORD,
      topic: s.P2P_KAFKA_TOPIC,
      groupId: s.P2P_RISK_GROUP_ID,
      sessionTimeoutMs: s.P2P_KAFKA_SESSION_TIMEOUT_MS,
    },
    verifyKeyFile: s.P2P_EVENT_VERIFY_KEY_FILE,
    fabric: {
      peer: peerEndpointOf(s),
      mspId: s.P2P_FABRIC_MSP_ID,
      certPath: s.P2P_FABRIC_CERT,
      keyPath: s.P2P_FABRIC_KEY,
      channel: s.P2P_FABRIC_CHANNEL,
      chaincode: s.P2P_FABRIC_CHAINCODE,
    },
    ops: { host: s.P2P_OPS_HOST, port: s.P2P_OPS_PORT },
    rulesFile: s.P2P_RISK_RULES_FILE,
    rulesPollMs: s.P2P_RISK_RULES_POLL_MS,
    holdPollMs: s.P2P_RISK_HOLD_POLL_MS,
  };
}

/** The backtest reads the projection with the service's role and a rules file; no Kafka, no ledger. */
export const backtestSettings = databaseSettings.extend({
  P2P_DATABASE_SCHEMA: schemaName.default('risk'),
  P2P_RISK_RULES_FILE: setting.file(),
});

export function readBacktestConfig(env: Env): { database: DatabaseConfig; rulesFile: string } {
  const s = readEnvironment('risk backtest', backtestSettings, env, secretVariables);
  return {
    database: { ...databaseConnectionOf(s), schema: s.P2P_DATABASE_SCHEMA, applicationName: 'risk-backtest' },
    rulesFile: s.P2P_RISK_RULES_FILE,
  };
}
