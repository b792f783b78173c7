// The gateway's PostgreSQL pool. Its tables are created by the runner's database-migrate task before
// the gateway starts; the gateway itself never changes the schema.
import { Pool } from 'pg';

export function createPool(connectionString: string): Pool {
  return new Pool({ connectionString, max: 20, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
}
