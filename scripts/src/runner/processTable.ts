// Records the processes the runner started (one JSON file per service under the state directory)
// and ends exactly those, identified by PID and the command they were started with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pidsDir } from '../env/paths';

export interface ProcessRecord {
  name: string;
  pid: number;
  command: string;
  startedAt: string;
  log: string;
  fingerprint?: string;
}

function recordPath(name: string): string {
  return path.join(pidsDir, `${name}.json`);
}

export function saveRecord(record: ProcessRecord): void {
  fs.mkdirSync(pidsDir, { recursive: true });
  fs.writeFileSync(recordPath(record.name), JSON.stringify(record, null, 2));
}

export function loadRecord(name: string): ProcessRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(recordPath(name), 'utf8')) as ProcessRecord;
  } catch {
    return undefined;
  }
}

export function removeRecord(name: string): void {
  fs.rmSync(recordPath(name), { force: true });
}

/** True when the recorded PID is alive and still runs the command we started (not a reused PID). */
export function isRunning(record: ProcessRecord): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    return cmdline.split('\0')[0] === record.command;
  } catch {
    return false;
  }
}

export function listRecords(): ProcessRecord[] {
  if (!fs.existsSync(pidsDir)) return [];
  return fs
    .readdirSync(pidsDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => loadRecord(file.slice(0, -'.json'.length)))
    .filter((record): record is ProcessRecord => record !== undefined);
}

/** Sends SIGTERM to the recorded process group, then SIGKILL after the grace period. */
export async function endProcess(
  record: ProcessRecord,
  graceMs = 10_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!isRunning(record)) {
    removeRecord(record.name);
    return;
  }
  signalGroup(record.pid, signal);
  const deadline = Date.now() + graceMs;
  while (isRunning(record) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isRunning(record)) signalGroup(record.pid, 'SIGKILL');
  while (isRunning(record)) await new Promise((resolve) => setTimeout(resolve, 50));
  removeRecord(record.name);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Daemons are started detached, so each leads its own process group; the group holds its children.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
