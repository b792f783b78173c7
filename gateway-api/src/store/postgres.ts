// The gateway's PostgreSQL pool and its schema migrations: numbered SQL files in gateway-api/migrations,
// applied in order under an advisory lock so concurrent replicas migrate once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';

const migrationsDir = path.resolve(__dirname, '..', '..', 'migrations');
const migrationLockId = 0x6761_7465; // "gate"

export function createPool(connectionString: string): Pool {
  return new Pool({ connectionString, max: 20, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
}

export async function migrate(pool: Pool): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockId]);
    await client.query('CREATE SCHEMA IF NOT EXISTS gateway');
    await client.query(
      'CREATE TABLE IF NOT EXISTS gateway.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM gateway.schema_migrations')).rows.map(
        (row) => row.name,
      ),
    );
    for (const file of fs
      .readdirSync(migrationsDir)
      .filter((name) => /^\d+_.*\.sql$/.test(name))
      .sort()) {
      if (done.has(file)) continue;
      await client.query('BEGIN');
      try {
        await client.query(fs.readFileSync(path.join(migrationsDir, file), 'utf8'));
        await client.query('INSERT INTO gateway.schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockId]).catch(() => undefined);
    client.release();
  }
  return applied;
}
