// A suite's own migrated projection schema and key folder, dropped after it: for integration tests
// that write to PostgreSQL without touching the live projection.
import { migrateOffchain } from '@p2p-escrow/scripts';
import { projectionPool } from '@p2p-escrow/testkit';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';

export interface ScratchSchema {
  /** A pool on the schema (set once the suite's `before` hook ran). */
  readonly pool: Pool;
  /** A fresh folder for the suite's key-encryption key. */
  readonly keyDir: string;
}

/** Call inside a mocha `describe`: registers the before/after hooks that create and drop `schema`. */
export function scratchSchema(schema: string): ScratchSchema {
  const state: { pool?: Pool; keyDir?: string } = {};
  before(async () => {
    state.pool = projectionPool(schema);
    await state.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await migrateOffchain(schema);
    state.keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-keys-'));
  });
  after(async () => {
    await state.pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await state.pool?.end();
    if (state.keyDir !== undefined) fs.rmSync(state.keyDir, { recursive: true, force: true });
  });
  return {
    get pool() {
      if (state.pool === undefined)
        throw new Error(`scratch schema ${schema} is used before its suite started`);
      return state.pool;
    },
    get keyDir() {
      if (state.keyDir === undefined)
        throw new Error(`scratch schema ${schema} is used before its suite started`);
      return state.keyDir;
    },
  };
}
