// What a marketplace's settlement worker is configured with: P2P_* variables read once at start
// (fabric-client's readEnvironment), handed by the runner (scripts/src/payments/settlementDaemon.ts).
// The provider's own settings (P2P_STRIPE_*) are read by the adapter's factory.
import { isMarketplace } from '@p2p-escrow/chaincode';
import {
  databaseConnectionOf,
  databaseSettings,
  ledgerClientOf,
  ledgerClientSettings,
  readEnvironment,
  setting,
  type Env,
  type LedgerClientConfig,
} from '@p2p-escrow/fabric-client';
import {
  eventConsumerOf,
  eventConsumerSettings,
  type DatabaseConfig,
  type EventConsumerConfig,
} from '@p2p-escrow/offchain-db';
import { z } from 'zod';
import type { BackoffSettings } from './settlementBackoff';

/** The worker reaches the ledger as its marketplace's payments identity. */
export type SettlementFabricConfig = LedgerClientConfig;

export interface SettlementConfig extends EventConsumerConfig {
  /** The marketplace whose payments the worker settles (its org name on the ledger). */
  readonly marketplace: string;
  readonly database: DatabaseConfig;
  readonly fabric: SettlementFabricConfig;
  readonly backoff: BackoffSettings;
  /** How often parked settlements are looked at. */
  readonly retryPollMs: number;
  /** How often the scheduled reconciliation runs (0: never), and the period it looks back over. */
  readonly reconcileIntervalMs: number;
  readonly reconcileLookbackMs: number;
  /** Test-only crash point (P2P_SETTLEMENT_TEST_CRASH_AFTER_MOVE=1). */
  readonly crashAfterMove: boolean;
  /** Whether a seller's payout waits for the seller's identity verification (settlement/payoutGate.ts). */
  readonly verificationGate: boolean;
}

const schemaName = setting.text().regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain schema name');

export const settlementSettings = databaseSettings
  .extend(ledgerClientSettings.shape)
  .extend(eventConsumerSettings.shape)
  .extend({
    P2P_SETTLEMENT_MARKETPLACE: setting
      .text()
      .refine(isMarketplace, 'must name a marketplace org (not Oversight)'),
    P2P_DATABASE_SCHEMA: schemaName,
    P2P_SETTLEMENT_GROUP_ID: setting.text(),
    P2P_SETTLEMENT_RETRY_BASE_MS: setting.positive().default(2000),
    P2P_SETTLEMENT_RETRY_MAX_MS: setting.positive().default(15 * 60_000),
    P2P_SETTLEMENT_RETRY_POLL_MS: setting.positive().default(1000),
    P2P_SETTLEMENT_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
    P2P_SETTLEMENT_RECONCILE_LOOKBACK_MS: setting.positive().default(24 * 3_600_000),
    /** Test-only: SIGKILL after the provider moved money, before the ledger records it. Never set in a deployment. */
    P2P_SETTLEMENT_TEST_CRASH_AFTER_MOVE: setting.flag().optional(),
    // On unless the marketplace turns it off: a payout to an unverified seller is the costlier mistake.
    P2P_SETTLEMENT_VERIFICATION_GATE: setting.flag().default(true),
  });

const secretVariables = ['P2P_DATABASE_URL', 'P2P_KAFKA_PASSWORD'];

export function readSettlementConfig(env: Env, service = 'settlement'): SettlementConfig {
  const s = readEnvironment(service, settlementSettings, env, secretVariables);
  return {
    marketplace: s.P2P_SETTLEMENT_MARKETPLACE,
    database: { ...databaseConnectionOf(s), schema: s.P2P_DATABASE_SCHEMA, applicationName: service },
    ...eventConsumerOf(s, s.P2P_SETTLEMENT_GROUP_ID),
    fabric: ledgerClientOf(s),
    backoff: { baseDelayMs: s.P2P_SETTLEMENT_RETRY_BASE_MS, maxDelayMs: s.P2P_SETTLEMENT_RETRY_MAX_MS },
    retryPollMs: s.P2P_SETTLEMENT_RETRY_POLL_MS,
    reconcileIntervalMs: s.P2P_SETTLEMENT_RECONCILE_INTERVAL_MS,
    reconcileLookbackMs: s.P2P_SETTLEMENT_RECONCILE_LOOKBACK_MS,
    crashAfterMove: s.P2P_SETTLEMENT_TEST_CRASH_AFTER_MOVE ?? false,
    verificationGate: s.P2P_SETTLEMENT_VERIFICATION_GATE,
  };
}
