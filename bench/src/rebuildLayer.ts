// Rebuild rate from block 0: `offchainCommand.js rebuild --schema bench_rebuild` migrates a scratch
// schema and replays the whole ledger into it (never the live projection), printing its rate; the bench
// bounds it in time and drops the scratch schema afterwards, whatever happened.
import { quoteIdentifier } from '@p2p-escrow/offchain-db';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './gatewayLayer';
import type { SqlClient } from './mirrorLag';
import { rebuildResultOf, type RebuildReport, type RebuildResult } from './rebuildOutput';

export const REBUILD_SCHEMA = 'bench_rebuild';
const KILL_GRACE_MS = 5000;
const TAIL_CHARS = 1000;

export async function dropScratchSchema(db: SqlClient, schema: string): Promise<void> {
  if (schema === 'public') throw new Error('refusing to drop the live projection');
  // A replay killed a moment ago holds its locks until PostgreSQL notices the closed connection: wait
  // for them, but not forever.
  await db.query(`SET LOCAL lock_timeout = '30s'; DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
}

interface ChildOutcome {
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly pid: number | undefined;
  readonly result: RebuildResult | undefined;
  readonly outputTail: string;
}

function runCommand(schema: string, timeoutSeconds: number): Promise<ChildOutcome> {
  const script = path.join(repoRoot, 'scripts', 'dist', 'offchain', 'offchainCommand.js');
  // The command runs the replay as a child of its own; `detached` makes it lead a process group, so
  // the timeout ends the command and its replay together (by the command's PID, as the group id).
  const child = spawn(process.execPath, [script, 'rebuild', '--schema', schema], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  const killGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  // Should the bench itself end early, the replay must not outlive it.
  const onExit = () => {
    killGroup('SIGKILL');
  };
  process.once('exit', onExit);
  let result: RebuildResult | undefined;
  let pending = '';
  let tail = '';
  const keepTail = (text: string) => {
    tail = (tail + text).slice(-TAIL_CHARS);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    const text = pending + chunk.toString('utf8');
    const end = text.lastIndexOf('\n');
    result = rebuildResultOf(text.slice(0, end + 1)) ?? result;
    pending = text.slice(end + 1);
    keepTail(chunk.toString('utf8'));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    keepTail(chunk.toString('utf8'));
  });
  let timedOut = false;
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup('SIGTERM');
    killer = setTimeout(() => {
      killGroup('SIGKILL');
    }, KILL_GRACE_MS);
  }, timeoutSeconds * 1000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      if (killer !== undefined) clearTimeout(killer);
      process.removeListener('exit', onExit);
      result = rebuildResultOf(pending) ?? result;
      resolve({ code, timedOut, pid, result, outputTail: tail.trim() });
    });
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runRebuild(
  db: SqlClient,
  timeoutSeconds: number,
  schema = REBUILD_SCHEMA,
): Promise<RebuildReport> {
  const began = performance.now();
  const common = () => ({
    schema,
    timeoutSeconds,
    wallSeconds: Math.round((performance.now() - began) / 100) / 10,
  });
  let outcome: ChildOutcome | undefined;
  let failure: string | undefined;
  try {
    // A scratch schema left by an interrupted run would make the replay find its outbox rows already there.
    await dropScratchSchema(db, schema);
    outcome = await runCommand(schema, timeoutSeconds);
  } catch (error) {
    failure = errorText(error);
  }
  let dropError: string | undefined;
  try {
    await dropScratchSchema(db, schema);
  } catch (error) {
    dropError = errorText(error);
  }
  const dropped = dropError === undefined ? { schemaDropped: true } : { schemaDropped: false, dropError };
  if (outcome === undefined) return { status: 'failed', reason: failure, ...common(), ...dropped };
  if (outcome.timedOut)
    return {
      status: 'timeout',
      reason: `no result within ${String(timeoutSeconds)} s; process group ${String(outcome.pid)} killed`,
      ...common(),
      ...dropped,
    };
  if (outcome.code !== 0 || outcome.result === undefined)
    return {
      status: 'failed',
      reason: `exited with ${String(outcome.code)}: ${outcome.outputTail.slice(-500)}`,
      ...common(),
      ...dropped,
    };
  return { status: 'done', result: outcome.result, ...common(), ...dropped };
}
