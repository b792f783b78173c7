// Where the project, its cache and its runtime state live. The same defaults as scripts/lib/common.sh.
import * as os from 'node:os';
import * as path from 'node:path';
import { readVersions } from './versions';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

const versions = readVersions(repoRoot);

export const cacheDir = process.env['P2P_CACHE_DIR'] ?? path.join(os.homedir(), '.cache', 'p2p-escrow');
export const stateDir = process.env['P2P_STATE_DIR'] ?? path.join(repoRoot, '.state');

export const fabricBinDir = path.join(cacheDir, `fabric-${versions.FABRIC_VERSION}`, 'bin');
export const fabricSampleConfigDir = path.join(cacheDir, `fabric-${versions.FABRIC_VERSION}`, 'sampleconfig');
export const fabricCaBinDir = path.join(cacheDir, `fabric-ca-${versions.FABRIC_CA_VERSION}`, 'bin');
export const kafkaHomeDir = path.join(cacheDir, `kafka-${versions.KAFKA_VERSION}`);
export const keycloakHomeDir = path.join(cacheDir, `keycloak-${versions.KEYCLOAK_VERSION}`);
export const stripeMockBin = path.join(
  cacheDir,
  `stripe-mock-${versions.STRIPE_MOCK_VERSION}`,
  'bin',
  'stripe-mock',
);
/** The API fuzzer, in its virtual environment (scripts/install/schemathesis.sh). */
export const schemathesisBin = path.join(
  cacheDir,
  `schemathesis-${versions.SCHEMATHESIS_VERSION}`,
  'bin',
  'schemathesis',
);
export const postgresBinDir = `/usr/lib/postgresql/${versions.POSTGRES_MAJOR}/bin`;
export const ccaasBuilderDir = path.join(repoRoot, 'network', 'ccaas-builder');

export const logsDir = path.join(stateDir, 'logs');
export const pidsDir = path.join(stateDir, 'pids');

export function fabricBin(name: string): string {
  return path.join(fabricBinDir, name);
}

export function fabricCaBin(name: string): string {
  return path.join(fabricCaBinDir, name);
}
