// The bench's connection to the projection database: offchain-db's pool factory on the environment the
// runner gives the off-chain services, as the read-only reconcile role (it only measures); the risk
// service's decisions as that service's role, which alone may read them.
import { databaseConfig, newPool } from '@p2p-escrow/offchain-db';
import { offchainDatabaseEnv, riskDatabaseEnv } from '@p2p-escrow/scripts';
import type { SqlClient } from './mirrorLag';

export interface BenchDatabase extends SqlClient {
  end(): Promise<void>;
}

export function benchDatabase(): BenchDatabase {
  return newPool(databaseConfig(offchainDatabaseEnv('reconcile'), 'bench'), 2);
}

/** The risk service's own role: it alone reads its decisions (and the projection's transitions). */
export function riskDatabase(): BenchDatabase {
  return newPool(databaseConfig(riskDatabaseEnv(), 'bench-risk'), 2);
}
