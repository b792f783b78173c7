// The gateway's PostgreSQL pool, as its own role over verified TLS. Its tables are created by the
// runner's database-migrate task before the gateway starts; the gateway itself never changes the schema.
import { databasePoolConfig, type DatabaseConnection } from '@p2p-escrow/fabric-client';
import { Pool } from 'pg';

export function createPool(connection: DatabaseConnection): Pool {
  return new Pool({
    ...databasePoolConfig(connection),
    max: 20,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
}
