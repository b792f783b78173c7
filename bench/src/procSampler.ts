// CPU and resident memory of every process the runner recorded (.state/pids/*.json), with all its
// descendants (a daemon started through a wrapper, PostgreSQL's backends), sampled from /proc once a second.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { listRecords } from '@p2p-escrow/scripts';

const CLOCK_TICKS = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

interface Tick {
  readonly cpuTicks: number;
  readonly rssBytes: number;
  /** CPU ticks of each process of the tree, so processes that come and go do not skew deltas. */
  readonly perPid: ReadonlyMap<number, number>;
}

function statOf(pid: number): { ppid: number; ticks: number; rssBytes: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), numbered from field 3 (state).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssBytes = Number(fields[21]) * PAGE_SIZE;
    return { ppid, ticks, rssBytes };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export interface ProcessUsage {
  readonly name: string;
  readonly pids: readonly number[];
  /** Mean CPU over the window, in percent of one core. */
  readonly cpuPercentMean: number;
  readonly cpuPercentMax: number;
  readonly rssMiBMean: number;
  readonly rssMiBMax: number;
}

export class ProcessSampler {
  readonly #tracked = new Map<string, number>();
  readonly #samples = new Map<string, { at: number; tick: Tick }[]>();
  #timer: NodeJS.Timeout | undefined;

  constructor(extra: Readonly<Record<string, number>> = {}) {
    for (const record of listRecords()) this.#tracked.set(record.name, record.pid);
    for (const [name, pid] of Object.entries(extra)) this.#tracked.set(name, pid);
  }

  track(name: string, pid: number): void {
    this.#tracked.set(name, pid);
  }

  /** Starts sampling; `mark` separates windows (one per layer) in the results. */
  start(intervalMs = 1000): void {
    this.sample();
    this.#timer = setInterval(() => {
      this.sample();
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.sample();
  }

  private sample(): void {
    const at = performance.now();
    const byGroup = new Map<number, Tick>();
    const roots = new Set(this.#tracked.values());
    const stats = new Map<number, { ppid: number; ticks: number; rssBytes: number }>();
    for (const pid of allPids()) {
      const stat = statOf(pid);
      if (stat !== undefined) stats.set(pid, stat);
    }
    for (const [pid, stat] of stats) {
      // The nearest tracked ancestor (or the process itself) owns it.
      let root: number | undefined = pid;
      for (let depth = 0; root !== undefined && !roots.has(root) && depth < 32; depth++)
        root = root <= 1 ? undefined : stats.get(root)?.ppid;
      if (root === undefined || !roots.has(root)) continue;
      const entry = byGroup.get(root) ?? { cpuTicks: 0, rssBytes: 0, perPid: new Map<number, number>() };
      (entry.perPid as Map<number, number>).set(pid, stat.ticks);
      byGroup.set(root, {
        cpuTicks: entry.cpuTicks + stat.ticks,
        rssBytes: entry.rssBytes + stat.rssBytes,
        perPid: entry.perPid,
      });
    }
    for (const [name, pid] of this.#tracked) {
      const tick = byGroup.get(pid);
      if (tick === undefined) continue;
      const list = this.#samples.get(name) ?? [];
      list.push({ at, tick });
      this.#samples.set(name, list);
    }
  }

  /** Usage per process between two instants (performance.now() values). */
  usage(from: number, to: number): ProcessUsage[] {
    const result: ProcessUsage[] = [];
    for (const [name, pid] of this.#tracked) {
      const samples = (this.#samples.get(name) ?? []).filter((s) => s.at >= from && s.at <= to);
      if (samples.length < 2) continue;
      const cpu: number[] = [];
      for (let i = 1; i < samples.length; i++) {
        const a = samples[i - 1];
        const b = samples[i];
        if (a === undefined || b === undefined) continue;
        const seconds = (b.at - a.at) / 1000;
        cpu.push((ticksBetween(a.tick, b.tick) / CLOCK_TICKS / seconds) * 100);
      }
      const first = samples[0];
      const last = samples.at(-1);
      if (first === undefined || last === undefined) continue;
      const rss = samples.map((s) => s.tick.rssBytes / 1048576);
      result.push({
        name,
        pids: [pid],
        cpuPercentMean: round(cpu.reduce((a, b) => a + b, 0) / Math.max(1, cpu.length)),
        cpuPercentMax: round(Math.max(...cpu)),
        rssMiBMean: round(rss.reduce((a, b) => a + b, 0) / rss.length),
        rssMiBMax: round(Math.max(...rss)),
      });
    }
    return result.sort((a, b) => b.cpuPercentMean - a.cpuPercentMean);
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Ticks spent between two samples by the processes present in both (a new process counts from 0). */
function ticksBetween(a: Tick, b: Tick): number {
  let ticks = 0;
  for (const [pid, now] of b.perPid) ticks += now - (a.perPid.get(pid) ?? 0);
  return ticks;
}

export function machineFacts() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: os.release(),
    node: process.version,
  };
}
