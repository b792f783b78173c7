// What a layer cost, in figures the machine's load does not distort: the CPU time the gateway processes
// spent and the calls they made to the peers per transition, and the share of the machine's CPU
// time its host stole while the layer ran (a layer stolen more than NOISY_STEAL_PERCENT is noisy).
import * as fs from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux
export const NOISY_STEAL_PERCENT = 10;

/** The machine's aggregate CPU time (all cores), in clock ticks: all of it, and what was stolen. */
export interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

/** The first line of /proc/stat: `cpu user nice system idle iowait irq softirq steal guest guest_nice`. */
export function cpuTimesOf(procStat: string): CpuTimes {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat without an aggregate cpu line');
  // guest and guest_nice are already counted in user and nice.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: ticks.reduce((sum, value) => sum + value, 0), steal: ticks[7] ?? 0 };
}

export function cpuTimes(): CpuTimes {
  return cpuTimesOf(fs.readFileSync('/proc/stat', 'utf8'));
}

export interface Steal {
  /** Stolen ticks in percent of all the machine's ticks over the window. */
  readonly percent: number;
  readonly noisy: boolean;
}

export function stealBetween(before: CpuTimes, after: CpuTimes): Steal {
  const total = after.total - before.total;
  const percent = total <= 0 ? 0 : Math.round(((after.steal - before.steal) / total) * 1000) / 10;
  return { percent, noisy: percent > NOISY_STEAL_PERCENT };
}

/** User + system CPU time of one process (not its children), in milliseconds; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const text = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export const PEER_CALL_KINDS = ['evaluate', 'endorse', 'commit_status'] as const;
export type PeerCalls = Record<(typeof PEER_CALL_KINDS)[number], number>;

/** The gateway's `gateway_fabric_peer_calls_total{kind=…,transaction=…}` counters, summed by kind. */
export function peerCallsOf(metricsText: string): PeerCalls {
  const calls: PeerCalls = { evaluate: 0, endorse: 0, commit_status: 0 };
  for (const line of metricsText.split('\n')) {
    const match = /^gateway_fabric_peer_calls_total\{(.*)\} (\S+)$/.exec(line);
    const labelled = /(?:^|,)kind="(\w+)"/.exec(match?.[1] ?? '')?.[1];
    const kind = PEER_CALL_KINDS.find((known) => known === labelled);
    if (kind !== undefined) calls[kind] += Number(match?.[2]);
  }
  return calls;
}

/** What the gateway processes are, as far as their cost is concerned. */
export interface CostedGateways {
  pids(): number[];
  peerCalls(): Promise<PeerCalls>;
}

export interface GatewayCost {
  readonly transitions: number;
  readonly cpuMsPerTransition: number;
  readonly peerCallsPerTransition: PeerCalls;
}

const perTransition = (value: number, transitions: number) =>
  transitions === 0 ? NaN : Math.round((value / transitions) * 100) / 100;

/** Snapshots the gateways before a layer; `cost` divides what they spent since by the layer's transitions. */
export async function gatewayCostProbe(gateways: CostedGateways) {
  const cpuOf = () => gateways.pids().reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const cpuBefore = cpuOf();
  const callsBefore = await gateways.peerCalls();
  return {
    async cost(transitions: number): Promise<GatewayCost> {
      const cpuMs = cpuOf() - cpuBefore;
      const calls = await gateways.peerCalls();
      const peerCallsPerTransition = { evaluate: 0, endorse: 0, commit_status: 0 };
      for (const kind of PEER_CALL_KINDS)
        peerCallsPerTransition[kind] = perTransition(calls[kind] - callsBefore[kind], transitions);
      return { transitions, cpuMsPerTransition: perTransition(cpuMs, transitions), peerCallsPerTransition };
    },
  };
}
