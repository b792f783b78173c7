// The one factory of PostgreSQL connections: a pool on the configured database, with every session's
// search_path set to the configured schema (a rebuild check uses a scratch schema).
import { Pool, types } from 'pg';
import type { DatabaseConfig } from '../config/offchainConfig';

// bigint (int8) columns come back as strings by default; block numbers fit in a JS bigint.
types.setTypeParser(types.builtins.INT8, (value: string) => BigInt(value));

export function newPool(config: DatabaseConfig, max = 5): Pool {
  const pool = new Pool({
    connectionString: config.url,
    max,
    application_name: config.applicationName,
    options: `-c search_path=${quoteIdentifier(config.schema)},public`,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain schema name: ${name}`);
  return `"${name}"`;
}
