// The chaos run's fault schedule, drawn from a seed: the same seed, count and duration give the same
// schedule, so a failing run is replayed by its seed. The first faults walk every kind once (in a
// seeded order), the rest are drawn at random, spread over the run with jitter.

/** What a fault does: SIGKILL then restart, or SIGSTOP then SIGCONT (a process frozen, not gone). */
export const FAULT_KINDS = [
  'orderer',
  'orderer-leader',
  'peer',
  'chaincode',
  'gateway',
  'mirror',
  'outbox-relay',
  'notifier',
  'keeper',
  'postgres',
  'kafka',
  'redis',
  'keycloak',
  'pause-peer',
  'pause-database',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  /** Index in the schedule. */
  readonly index: number;
  /** When to inject it, in ms from the start of the load (a lower bound: faults run one at a time). */
  readonly atMs: number;
  readonly kind: FaultKind;
  /** Picks among the kind's candidates (which orderer, which org's peer), resolved at run time. */
  readonly pick: number;
  /** How long a paused process stays frozen. */
  readonly pauseMs: number;
}

/** A small seeded generator (mulberry32): uniform floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ScheduleOptions {
  readonly seed: number;
  readonly faults: number;
  /** The span over which faults are spread, in ms. */
  readonly windowMs: number;
  /** The kinds to draw from (default: every kind). */
  readonly kinds?: readonly FaultKind[];
}

export function faultSchedule(options: ScheduleOptions): Fault[] {
  const kinds = options.kinds ?? FAULT_KINDS;
  if (kinds.length === 0) throw new Error('a fault schedule needs at least one kind');
  if (!Number.isInteger(options.faults) || options.faults < 0)
    throw new Error(`faults must be a whole number ≥ 0, not ${String(options.faults)}`);
  const random = seededRandom(options.seed);
  // Every kind once first, in a seeded order (Fisher-Yates), so a run of at least that many faults
  // covers them all.
  const walk = [...kinds];
  for (let i = walk.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [walk[i], walk[j]] = [walk[j] as FaultKind, walk[i] as FaultKind];
  }
  const slot = options.windowMs / Math.max(1, options.faults);
  const faults: Fault[] = [];
  for (let index = 0; index < options.faults; index++) {
    const kind = walk[index] ?? (kinds[Math.floor(random() * kinds.length)] as FaultKind);
    const jitter = (random() - 0.5) * 0.6;
    faults.push({
      index,
      atMs: Math.round(Math.max(0, (index + 0.5 + jitter) * slot)),
      kind,
      pick: random(),
      pauseMs: 2000 + Math.round(random() * 4000),
    });
  }
  return faults;
}

/** The schedule as printed lines, for the run's log and report. */
export function describeSchedule(faults: readonly Fault[]): string[] {
  return faults.map(
    (fault) =>
      `#${String(fault.index).padStart(2, '0')} at +${(fault.atMs / 1000).toFixed(1)}s ${fault.kind}` +
      (fault.kind.startsWith('pause-') ? ` for ${(fault.pauseMs / 1000).toFixed(1)}s` : ''),
  );
}
