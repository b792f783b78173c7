// What the risk service is configured with: P2P_* variables read once at start (fabric-client's
// readEnvironment), handed by the runner (scripts/src/risk/riskDaemon.ts).
import {
  databaseConnectionOf,
  databaseSettings,
  ledgerClientOf,
  ledgerClientSettings,
  readEnvironment,
  setting,
  type Env,
} from '@p2p-escrow/fabric-client';
import {
  eventConsumerOf,
  eventConsumerSettings,
  type DatabaseConfig,
  type EventConsumerConfig,
} from '@p2p-escrow/offchain-db';
import type { HoldLedgerConfig } from '../holds/fabricHoldLedger';

export interface RiskConfig extends EventConsumerConfig {
  readonly database: DatabaseConfig;
  readonly fabric: HoldLedgerConfig;
  /** The rules file; the service reloads it when it changes (or on SIGHUP). */
  readonly rulesFile: string;
  readonly rulesPollMs: number;
  readonly holdPollMs: number;
}

const schemaName = setting.text().regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain schema name');

/** The database role and schema, Kafka, the relay's key, the ledger as the risk identity, the rules. */
export const riskSettings = databaseSettings
  .extend(ledgerClientSettings.shape)
  .extend(eventConsumerSettings.shape)
  .extend({
    P2P_DATABASE_SCHEMA: schemaName.default('risk'),
    P2P_RISK_GROUP_ID: setting.text().default('risk-service'),
    P2P_RISK_RULES_FILE: setting.file(),
    P2P_RISK_RULES_POLL_MS: setting.positive().default(1000),
    P2P_RISK_HOLD_POLL_MS: setting.positive().default(1000),
  });

const secretVariables = ['P2P_DATABASE_URL', 'P2P_KAFKA_PASSWORD'];

export function readRiskConfig(env: Env, service = 'risk'): RiskConfig {
  const s = readEnvironment(service, riskSettings, env, secretVariables);
  return {
    database: { ...databaseConnectionOf(s), schema: s.P2P_DATABASE_SCHEMA, applicationName: service },
    ...eventConsumerOf(s, s.P2P_RISK_GROUP_ID),
    fabric: ledgerClientOf(s),
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
