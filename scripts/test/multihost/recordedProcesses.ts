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
