// Resident memory of the stack's processes for the soak: VmRSS from /proc/PID/status of each recorded
// daemon together with its descendants (a daemon started through a wrapper, PostgreSQL's backends),
// and the least-squares slope of a series, so a leak shows as MiB per minute.
import * as fs from 'node:fs';

/** VmRSS of a /proc/PID/status text, in KiB (0 for a kernel thread or a zombie, which have none). */
export function vmRssKiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match === null ? 0 : Number(match[1]);
}

function parentOf(status: string): number {
  const match = /^PPid:\s+(\d+)$/m.exec(status);
  return match === null ? 0 : Number(match[1]);
}

/** MiB of resident memory of each named process tree, read now. */
export function residentMiB(roots: ReadonlyMap<string, number>): Map<string, number> {
  const statuses = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      statuses.set(Number(entry), fs.readFileSync(`/proc/${entry}/status`, 'utf8'));
    } catch {
      // Gone between the listing and the read.
    }
  }
  const owner = new Map<number, string>([...roots].map(([name, pid]) => [pid, name]));
  const totals = new Map<string, number>();
  for (const [pid, status] of statuses) {
    let node = pid;
    for (let depth = 0; depth < 32 && node > 1 && !owner.has(node); depth++)
      node = parentOf(statuses.get(node) ?? '');
    const name = owner.get(node);
    if (name === undefined) continue;
    totals.set(name, (totals.get(name) ?? 0) + vmRssKiB(status) / 1024);
  }
  return new Map([...totals].map(([name, mib]) => [name, Math.round(mib * 10) / 10]));
}

export interface Point {
  readonly minute: number;
  readonly mib: number;
}

/** Least-squares slope of the series in MiB per minute (0 with fewer than two distinct instants). */
export function slopeMiBPerMinute(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.minute, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.mib, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const p of points) {
    numerator += (p.minute - meanX) * (p.mib - meanY);
    denominator += (p.minute - meanX) ** 2;
  }
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 1000) / 1000;
}
