// The gateway's PostgreSQL pool, as its own role over verified TLS. Its tables are created by the
// runner's database-migrate task before the gateway starts; the gateway itself never changes the schema.
import { databasePoolConfig, type DatabaseConnection } from '@p2p-escrow/fabric-client';
import { Pool } from 'pg';

/** Told when the server drops an idle connection (PostgreSQL stopped or restarted). */
export type PoolErrorListener = (error: Error) => void;

export function createPool(
  connection: DatabaseConnection,
  onIdleError: PoolErrorListener = () => undefined,
): Pool {
  const pool = new Pool({
    ...databasePoolConfig(connection),
    max: 20,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  // pg-pool re-emits an idle client's error on the pool; unheard, it would end the process. The
  // client is dropped, and the next request connects again once PostgreSQL is back.
  pool.on('error', onIdleError);
  return pool;
}
