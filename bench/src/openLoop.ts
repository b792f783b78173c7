// Open-loop load: operation i starts at t0 + i / rate whether or not earlier ones have finished, so a
// slow system cannot slow the generator down (no coordinated omission). Latency is measured from the
// scheduled start. Bounded by count, duration, in-flight cap and a drain deadline.
import { latencySummary, type LatencySummary } from './stats';

export interface Outcome {
  /** Operations that completed (one "operation" may be several transactions; see `units`). */
  readonly units: number;
  /** Per-transaction latencies (ms) measured inside the operation, if it reports them itself. */
  readonly latencies?: readonly number[];
  readonly retries?: number;
  /** When each unit completed (performance.now()); defaults to the operation's completion. */
  readonly unitTimes?: readonly number[];
}

export interface StepOptions {
  readonly rate: number;
  readonly durationSeconds: number;
  /** Keep each operation's latencies by their position in it (a lifecycle's steps), for the report. */
  readonly keepSamplesByPosition?: boolean;
  /** Started operations beyond this are skipped (counted as `shed`), so memory stays bounded. */
  readonly maxInFlight: number;
  readonly drainSeconds: number;
  /** Transactions per operation, to express offered load in transactions per second. */
  readonly unitsPerOperation: number;
}

export interface StepResult {
  readonly offeredTps: number;
  /** Units completed in the steady window (the last three quarters of the schedule) per second. */
  readonly achievedTps: number;
  /** All units completed over the whole step including the drain, per second (a lower bound). */
  readonly overallTps: number;
  readonly started: number;
  readonly completedUnits: number;
  readonly errors: number;
  readonly retries: number;
  readonly shed: number;
  readonly unfinished: number;
  readonly elapsedSeconds: number;
  readonly latencyMs: LatencySummary;
  /** With `keepSamplesByPosition`: entry i holds the i-th latency of every operation that reported them. */
  readonly latenciesByPosition?: readonly (readonly number[])[];
  readonly errorSamples: readonly string[];
  /** performance.now() at the first scheduled start and at the end of the drain. */
  readonly window: { readonly from: number; readonly to: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function runStep(
  options: StepOptions,
  operation: (index: number) => Promise<Outcome>,
): Promise<StepResult> {
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  const byPosition: number[][] = [];
  const errorSamples: string[] = [];
  let completedUnits = 0;
  let errors = 0;
  let retries = 0;
  let shed = 0;
  let inFlight = 0;
  let lastCompletion = 0;
  const unitTimes: number[] = [];
  const pending = new Set<Promise<void>>();
  const began = performance.now();

  for (let index = 0; index < total; index++) {
    const scheduled = began + index * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    if (inFlight >= options.maxInFlight) {
      shed += 1;
      continue;
    }
    inFlight += 1;
    const run = operation(index).then(
      (outcome) => {
        completedUnits += outcome.units;
        if (outcome.unitTimes === undefined) unitTimes.push(performance.now());
        else unitTimes.push(...outcome.unitTimes);
        retries += outcome.retries ?? 0;
        if (outcome.latencies === undefined) latencies.push(performance.now() - scheduled);
        else latencies.push(...outcome.latencies);
        for (const [position, latency] of (outcome.latencies ?? []).entries())
          (byPosition[position] ??= []).push(latency);
      },
      (error: unknown) => {
        errors += 1;
        if (errorSamples.length < 5)
          errorSamples.push(error instanceof Error ? error.message : String(error));
      },
    );
    const tracked: Promise<void> = run.finally(() => {
      inFlight -= 1;
      lastCompletion = performance.now();
      pending.delete(tracked);
    });
    pending.add(tracked);
  }
  const drainDeadline = performance.now() + options.drainSeconds * 1000;
  while (pending.size > 0 && performance.now() < drainDeadline) {
    await Promise.race([sleep(drainDeadline - performance.now()), ...pending]);
  }
  const end = pending.size > 0 ? performance.now() : Math.max(lastCompletion, began + 1);
  const elapsedSeconds = (end - began) / 1000;
  // Skip the first quarter (the pipeline filling up: a lifecycle needs six commits in a row).
  const windowStart = began + (options.durationSeconds * 1000) / 4;
  const windowEnd = began + options.durationSeconds * 1000;
  const inWindow = unitTimes.filter((t) => t >= windowStart && t <= windowEnd).length;
  return {
    offeredTps: options.rate * options.unitsPerOperation,
    achievedTps: Math.round((inWindow / ((windowEnd - windowStart) / 1000)) * 10) / 10,
    overallTps: Math.round((completedUnits / elapsedSeconds) * 10) / 10,
    started: total - shed,
    completedUnits,
    errors,
    retries,
    shed,
    unfinished: pending.size,
    elapsedSeconds: Math.round(elapsedSeconds * 10) / 10,
    latencyMs: latencySummary(latencies),
    ...(options.keepSamplesByPosition === true ? { latenciesByPosition: byPosition } : {}),
    errorSamples,
    window: { from: began, to: end },
  };
}

export interface SweepOptions {
  readonly rates: readonly number[];
  readonly step: Omit<StepOptions, 'rate'>;
  readonly log: (line: string) => void;
  readonly label: string;
}

/**
 * Steps up the offered rate until achieved throughput stops rising (less than 5 % over the best so
 * far), errors pass 10 % of started operations, or the rates run out.
 */
export async function sweep(
  options: SweepOptions,
  operation: (index: number) => Promise<Outcome>,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let best = 0;
  // Indices keep counting across steps, so every operation of the layer gets its own (escrow ids).
  let base = 0;
  for (const rate of options.rates) {
    const offset = base;
    const result = await runStep({ ...options.step, rate }, (index) => operation(offset + index));
    base += Math.max(1, Math.round(rate * options.step.durationSeconds));
    results.push(result);
    options.log(
      `${options.label}: offered ${result.offeredTps} tps -> ${result.achievedTps} tps, p99 ${result.latencyMs.p99} ms, errors ${result.errors}, shed ${result.shed}`,
    );
    const flat = result.achievedTps < best * 1.05;
    const failing = result.errors + result.shed > 0.1 * Math.max(1, result.started + result.shed);
    best = Math.max(best, result.achievedTps);
    if (flat || failing) break;
  }
  return results;
}
