// The bench's connection to the projection database: offchain-db's pool factory on the environment the
// runner gives the off-chain services, as the read-only reconcile role (it only measures).
import { databaseConfig, newPool } from '@p2p-escrow/offchain-db';
import { offchainDatabaseEnv } from '@p2p-escrow/scripts';
import type { SqlClient } from './mirrorLag';

export interface BenchDatabase extends SqlClient {
  end(): Promise<void>;
}

export function benchDatabase(): BenchDatabase {
  return newPool(databaseConfig(offchainDatabaseEnv('reconcile'), 'bench'), 2);
}
