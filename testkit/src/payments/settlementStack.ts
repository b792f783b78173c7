// The settlement workers of the running stack, for the payments tests: their logs, stopping and
// starting one through the runner, running a test's own instance (to kill it at a chosen point), and
// the operator's payments commands as a partner's operator runs them.
import {
  repoRoot,
  settlementEnv,
  settlementOpsUrl,
  settlementServiceName,
  stateDir,
} from '@p2p-escrow/scripts';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDaemons, liveRunner } from '../stack/liveNetwork';

/** The log the runner's worker of `org` writes (pino JSON lines). */
export function settlementLogFile(org: string): string {
  return path.join(stateDir, 'logs', `${settlementServiceName(org)}.log`);
}

/** The JSON lines of a worker's log (lines that are not JSON are skipped). */
export function settlementLogLines(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}

export async function stopSettlementWorker(org: string): Promise<void> {
  await liveRunner().stop([settlementServiceName(org)]);
}

/** Starts the runner's worker of `org` (again) and waits until it is healthy. */
export async function startSettlementWorker(org: string): Promise<void> {
  await ensureDaemons([settlementServiceName(org)]);
}

/** A test's own worker of `org`, with `env` added (e.g. a crash hook), logging into `logFile`. */
export function spawnSettlementWorker(
  org: string,
  env: Record<string, string>,
  logFile: string,
): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  return spawn(process.execPath, [path.join(repoRoot, 'payments', 'dist', 'settlement', 'main.js')], {
    env: { ...process.env, ...settlementEnv(org), ...env },
    stdio: ['ignore', out, out],
  });
}

export { settlementOpsUrl };

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run operator -- <args>`, as the built command line runs it. */
export function runOperatorCommand(args: readonly string[]): Promise<CommandRun> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'dist', 'operator', 'main.js'), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
