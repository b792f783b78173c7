// The one factory of PostgreSQL connections: a pool on the configured database, over verified TLS
// (fabric-client's databasePoolConfig), with every session's search_path set to the configured schema
// (a rebuild check uses a scratch schema).
import { databasePoolConfig } from '@p2p-escrow/fabric-client';
import { Pool, types, type CustomTypesConfig } from 'pg';
import type { DatabaseConfig } from '../config/offchainConfig';

/**
 * bigint (int8) columns come back as JS bigints (block numbers, ids), on this pool only: a process
 * that also holds other pools (the gateway's) keeps pg's default of strings there.
 */
const int8AsBigInt: CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === types.builtins.INT8 && format !== 'binary'
      ? (value: string) => BigInt(value)
      : (types.getTypeParser(oid, format) as (value: string) => unknown),
};

export function newPool(config: DatabaseConfig, max = 5): Pool {
  const pool = new Pool({
    ...databasePoolConfig(config),
    max,
    application_name: config.applicationName,
    options: `-c search_path=${quoteIdentifier(config.schema)},public`,
    types: int8AsBigInt,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain schema name: ${name}`);
  return `"${name}"`;
}
