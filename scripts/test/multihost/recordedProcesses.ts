// The processes the runner recorded under each org's state directory (pids/<service>.json): what
// the test ends by PID when `org stop` could not, and from an exit handler.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Recorded {
  name: string;
  pid: number;
  command: string;
}

function recordsIn(state: string): Recorded[] {
  const dir = path.join(state, 'pids');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Recorded);
}

/** True while the recorded PID still runs the recorded command (a reused PID is someone else's). */
function stillOurs(record: Recorded): boolean {
  try {
    return fs.readFileSync(`/proc/${String(record.pid)}/cmdline`, 'utf8').includes(record.command);
  } catch {
    return false;
  }
}

/** Kills every recorded process still running (its process group: daemons lead their own). */
export function killRecorded(states: readonly string[]): string[] {
  const killed: string[] = [];
  for (const record of states.flatMap(recordsIn).filter(stillOurs)) {
    try {
      process.kill(-record.pid, 'SIGKILL');
    } catch {
      process.kill(record.pid, 'SIGKILL');
    }
    killed.push(`${record.name} (pid ${String(record.pid)})`);
  }
  return killed;
}

/** Each process's parent, from /proc (to count a daemon's worker processes with it). */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The command name may hold spaces: the parent is the second field after its closing parenthesis.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), parent);
    } catch {
      // Gone while listing.
    }
  }
  return parents;
}

function residentKib(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The resident memory (MiB) of every process recorded under `state` and of their descendants. */
export function residentMemoryMib(state: string): number {
  const parents = parentsByPid();
  const ours = new Set(
    recordsIn(state)
      .filter(stillOurs)
      .map((record) => record.pid),
  );
  // Descendants: a pid whose chain of parents reaches a recorded one (bounded by the process count).
  for (let changed = true, rounds = 0; changed && rounds < parents.size; rounds++) {
    changed = false;
    for (const [pid, parent] of parents)
      if (!ours.has(pid) && ours.has(parent)) {
        ours.add(pid);
        changed = true;
      }
  }
  return Math.round([...ours].reduce((total, pid) => total + residentKib(pid), 0) / 1024);
}
