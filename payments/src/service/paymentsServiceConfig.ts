// What one marketplace's payments service is configured with: P2P_PAYMENTS_* (which marketplace, where
// it listens, where it keeps its record of processed events and its TLS certificate), the Fabric
// connection as that marketplace's payments identity (P2P_FABRIC_*), and the provider (P2P_STRIPE_*,
// read by the adapter's own factory). Read once at start with readEnvironment.
import { isMarketplace, mspIdOf } from '@p2p-escrow/chaincode';
import {
  databaseConnectionOf,
  databaseSettings,
  ledgerClientOf,
  ledgerClientSettings,
  readEnvironment,
  setting,
  type Env,
} from '@p2p-escrow/fabric-client';
import type { DatabaseConfig } from '@p2p-escrow/offchain-db';
import type { FundingLedgerConfig } from '../funding/fabricFundingLedger';

export interface PaymentsServiceConfig {
  readonly marketplace: string;
  readonly host: string;
  readonly port: number;
  /** The marketplace's payments schema: its parties' verifications (the payout gate's records). */
  readonly database: DatabaseConfig;
  /** The service's own directory: the processed-events record and the verification salt. */
  readonly stateDir: string;
  /** Where its server certificate is made by the deployment's local CA; absent: plain HTTP (loopback only). */
  readonly tlsDir: string | undefined;
  readonly fabric: FundingLedgerConfig;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

const paymentsSettings = databaseSettings
  .extend(ledgerClientSettings.shape)
  .extend({
    P2P_PAYMENTS_MARKETPLACE: setting.text().refine(isMarketplace, 'must be a marketplace name'),
    P2P_PAYMENTS_HOST: setting.text().default('127.0.0.1'),
    P2P_PAYMENTS_PORT: setting.port(),
    P2P_PAYMENTS_STATE_DIR: setting.text(),
    P2P_PAYMENTS_TLS_DIR: setting.text().optional(),
    P2P_DATABASE_SCHEMA: setting.text().regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain schema name'),
  })
  // The identity must be the marketplace's own: its payments key signs every fund.
  .refine((s) => s.P2P_FABRIC_MSP_ID === mspIdOf(s.P2P_PAYMENTS_MARKETPLACE), {
    path: ['P2P_FABRIC_MSP_ID'],
    message: "must be the marketplace's own MSP ID",
  })
  .refine((s) => s.P2P_PAYMENTS_TLS_DIR !== undefined || loopbackHosts.has(s.P2P_PAYMENTS_HOST), {
    path: ['P2P_PAYMENTS_TLS_DIR'],
    message: 'is required unless P2P_PAYMENTS_HOST is a loopback address',
  });

export function readPaymentsServiceConfig(env: Env, service = 'payments'): PaymentsServiceConfig {
  const s = readEnvironment(service, paymentsSettings, env, ['P2P_DATABASE_URL']);
  return {
    marketplace: s.P2P_PAYMENTS_MARKETPLACE,
    host: s.P2P_PAYMENTS_HOST,
    port: s.P2P_PAYMENTS_PORT,
    database: { ...databaseConnectionOf(s), schema: s.P2P_DATABASE_SCHEMA, applicationName: service },
    stateDir: s.P2P_PAYMENTS_STATE_DIR,
    tlsDir: s.P2P_PAYMENTS_TLS_DIR,
    fabric: ledgerClientOf(s),
  };
}
