// An org's own projection on its own host, read as its operator would: psql as the postgres
// superuser over the cluster's unix socket (a file, so no network namespace is in the way), in the
// org's projection database (a marketplace's own, or Oversight's auditor projection `escrow`).
import { channelName, postgresBinDir, runCommand, portPlan } from '@p2p-escrow/scripts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OrgHost } from './orgHosts';

function databaseOf(org: string): string {
  return org === 'Oversight' ? 'escrow' : `projection_${org.toLowerCase()}`;
}

async function query(on: OrgHost, sql: string): Promise<string> {
  // The state directory's link leads where the postgres user may enter (not the tier's work folder).
  const socketDir = path.join(fs.realpathSync(path.join(on.state, 'postgres')), 'run');
  const args = ['-h', socketDir, '-p', String(portPlan.postgres.listen), '-U', 'postgres'];
  const out = await runCommand(
    path.join(postgresBinDir, 'psql'),
    [...args, '-d', databaseOf(on.org), '-v', 'ON_ERROR_STOP=1', '-tAq', '-f', '-'],
    { user: 'postgres', cwd: '/', input: sql, timeoutMs: 15_000 },
  );
  return out.trim();
}

/** The state of `escrowId` in the org's projection, or undefined when it holds no such escrow. */
export async function projectedState(on: OrgHost, escrowId: string): Promise<string | undefined> {
  if (!/^[\w.-]+$/.test(escrowId)) throw new Error(`not an escrow id: ${escrowId}`);
  const state = await query(on, `SELECT state FROM escrows WHERE escrow_id = '${escrowId}'`);
  return state === '' ? undefined : state;
}

/** The last block the org's mirror applied. */
export async function projectedThrough(on: OrgHost): Promise<number> {
  const block = await query(on, `SELECT last_block FROM checkpoint WHERE channel = '${channelName}'`);
  return block === '' ? -1 : Number(block);
}

/**
 * Removes what the orgs' PostgreSQL and Redis kept outside their state directories (where their
 * system users may enter), as `npm stop -- --clean` does for the local demo.
 */
export function removeServiceData(states: readonly string[]): void {
  for (const state of states) {
    const link = path.join(state, 'postgres');
    if (!fs.existsSync(link)) continue;
    fs.rmSync(path.dirname(fs.realpathSync(link)), { recursive: true, force: true });
  }
}
