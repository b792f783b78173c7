// The fuzzing run's report: requests, answers by status class and 2xx per operation, from the log of
// calls the schemathesis hooks write (one JSON line per response), and the operations of the document
// that never succeeded.
import { stripVTControlCharacters } from 'node:util';

export interface LoggedCall {
  readonly operation: string;
  readonly status: number;
  /** GET, POST, PUT, DELETE, … */
  readonly method?: string;
  /** The gateway's answer time. */
  readonly elapsedMs?: number;
  /** When the answer came (seconds on the run's monotonic clock) and on which of its workers. */
  readonly at?: number;
  readonly worker?: string;
}

/** How long the gateway took to answer one kind of request. */
export interface AnswerTimes {
  readonly requests: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/**
 * Where a run's time went: the gateway's answers to reads and to writes, and the share of the workers'
 * time spent waiting for them; the rest is schemathesis's own (generating cases, checks, hooks).
 */
export interface FuzzTiming {
  readonly reads: AnswerTimes;
  readonly writes: AnswerTimes;
  /** Requests answered 4xx (refused before or by the ledger) and how long they took. */
  readonly refusals: AnswerTimes;
  readonly waitingShare: number;
}

export interface OperationTally {
  readonly requests: number;
  readonly succeeded: number;
  readonly serverErrors: number;
}

export interface FuzzReport {
  readonly requests: number;
  readonly byOperation: Readonly<Record<string, OperationTally>>;
  /** Operations of the document without a single 2xx. */
  readonly neverSucceeded: readonly string[];
  readonly serverErrors: number;
}

/** Reads the hooks' log: one `{operation, status}` object per line; a torn last line is skipped. */
export function parseCallLog(text: string): LoggedCall[] {
  const calls: LoggedCall[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    const { operation, status, method, elapsedMs, at, worker } = parsed as Record<string, unknown>;
    if (typeof operation !== 'string' || typeof status !== 'number') continue;
    calls.push({
      operation,
      status,
      ...(typeof method === 'string' ? { method } : {}),
      ...(typeof elapsedMs === 'number' ? { elapsedMs } : {}),
      ...(typeof at === 'number' ? { at } : {}),
      ...(typeof worker === 'number' || typeof worker === 'string' ? { worker: String(worker) } : {}),
    });
  }
  return calls;
}

export function fuzzReport(calls: readonly LoggedCall[], operations: readonly string[]): FuzzReport {
  const byOperation: Record<string, OperationTally> = {};
  for (const operation of operations) byOperation[operation] = { requests: 0, succeeded: 0, serverErrors: 0 };
  for (const { operation, status } of calls) {
    const tally = byOperation[operation] ?? { requests: 0, succeeded: 0, serverErrors: 0 };
    byOperation[operation] = {
      requests: tally.requests + 1,
      succeeded: tally.succeeded + (status >= 200 && status < 300 ? 1 : 0),
      serverErrors: tally.serverErrors + (status >= 500 ? 1 : 0),
    };
  }
  const tallies = Object.values(byOperation);
  return {
    requests: calls.length,
    byOperation,
    neverSucceeded: operations.filter((operation) => (byOperation[operation]?.succeeded ?? 0) === 0),
    serverErrors: tallies.reduce((sum, tally) => sum + tally.serverErrors, 0),
  };
}

/** The report as a table, one operation a line, for the test's output. */
export function formatFuzzReport(report: FuzzReport): string {
  const width = Math.max(...Object.keys(report.byOperation).map((name) => name.length), 9);
  const lines = Object.entries(report.byOperation).map(
    ([operation, tally]) =>
      `${operation.padEnd(width)} ${String(tally.requests).padStart(6)} ${String(tally.succeeded).padStart(6)} ${String(tally.serverErrors).padStart(4)}`,
  );
  return [
    `${'operation'.padEnd(width)} ${'sent'.padStart(6)} ${'2xx'.padStart(6)} ${'5xx'.padStart(4)}`,
    ...lines,
    `${'all'.padEnd(width)} ${String(report.requests).padStart(6)}`,
  ].join('\n');
}

function answerTimes(calls: readonly LoggedCall[]): AnswerTimes {
  const times = calls.flatMap((call) => (call.elapsedMs === undefined ? [] : [call.elapsedMs]));
  times.sort((a, b) => a - b);
  const at = (quantile: number) =>
    times[Math.min(times.length - 1, Math.floor(quantile * times.length))] ?? 0;
  const total = times.reduce((sum, time) => sum + time, 0);
  return {
    requests: times.length,
    meanMs: times.length === 0 ? 0 : Math.round(total / times.length),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
  };
}

/**
 * The gateway's answer times by kind, and the share of the workers' time spent waiting for them: per
 * worker, the sum of its answer times over the span from its first request to its last answer.
 * Several processes' logs may be given at once; a worker id is unique within one process's log.
 */
export function fuzzTiming(logs: readonly (readonly LoggedCall[])[]): FuzzTiming {
  const calls = logs.flat();
  let waited = 0;
  let span = 0;
  for (const log of logs) {
    const byWorker = new Map<string, LoggedCall[]>();
    for (const call of log) {
      if (call.worker === undefined || call.at === undefined || call.elapsedMs === undefined) continue;
      byWorker.set(call.worker, [...(byWorker.get(call.worker) ?? []), call]);
    }
    for (const workerCalls of byWorker.values()) {
      const first = workerCalls[0];
      const last = workerCalls[workerCalls.length - 1];
      if (first === undefined || last === undefined) continue;
      const busy = workerCalls.reduce((sum, call) => sum + (call.elapsedMs ?? 0), 0);
      waited += busy;
      span += Math.max(busy, (last.at ?? 0) * 1000 - ((first.at ?? 0) * 1000 - (first.elapsedMs ?? 0)));
    }
  }
  return {
    reads: answerTimes(calls.filter((call) => call.method === 'GET')),
    writes: answerTimes(calls.filter((call) => call.method !== undefined && call.method !== 'GET')),
    refusals: answerTimes(calls.filter((call) => call.status >= 400 && call.status < 500)),
    waitingShare: span === 0 ? 0 : waited / span,
  };
}

/** The timing as lines for the test's output. */
export function formatFuzzTiming(timing: FuzzTiming): string {
  const line = (name: string, times: AnswerTimes) =>
    `${name.padEnd(9)} ${String(times.requests).padStart(6)} requests, gateway answer mean ${String(times.meanMs)} ms, p50 ${String(times.p50Ms)} ms, p95 ${String(times.p95Ms)} ms`;
  return [
    line('reads', timing.reads),
    line('writes', timing.writes),
    line('refusals', timing.refusals),
    `workers waited for the gateway ${String(Math.round(timing.waitingShare * 100))} % of their time (the rest: schemathesis's generation, checks and hooks)`,
  ].join('\n');
}

/**
 * One line for one schemathesis run, read off its own summary: operations selected and tested, the
 * phases it ran, the cases it generated, its verdict and seed. Its summary is not printed as it stands:
 * its rules of `=` around "… in N s" read, to a tool that scans the suite's output, like another test
 * runner's closing line.
 */
export function schemathesisRunLine(name: string, output: string): string {
  const text = stripVTControlCharacters(output);
  const summary = text.slice(Math.max(0, text.lastIndexOf('SUMMARY')));
  const field = (pattern: RegExp) => pattern.exec(summary)?.[1];
  const selected = field(/Selected:\s*(\d+\/\d+)/);
  const tested = field(/Tested:\s*(\d+)/);
  const phaseLines = /Test Phases:\n([\s\S]*?)\n\s*\n/.exec(summary)?.[1] ?? '';
  const phases = [...phaseLines.matchAll(/(?:✅|❌)\s+(\w+)/g)].map((match) => match[1]?.toLowerCase());
  const cases = field(/Test cases:\s*\n\s*(\d+) generated/);
  const failures = field(/(\d+) (?:found|failed)/);
  const ruled = [...text.matchAll(/^=+ (.+?) =+$/gm)].map((match) => match[1] ?? '');
  const verdict = ruled
    .at(-1)
    ?.replace(/ in ([\d.]+)s$/, ' ($1 s)')
    .toLowerCase();
  const seed = field(/Seed:\s*(\d+)/);
  const parts = [
    selected === undefined ? undefined : `operations ${selected} selected, ${tested ?? '?'} tested`,
    phases.length === 0 ? undefined : `phases ${phases.join(', ')}`,
    cases === undefined
      ? undefined
      : `${cases} cases${failures === undefined ? '' : `, ${failures} failing`}`,
    verdict ?? 'no summary (the run ended before it)',
    seed === undefined ? undefined : `seed ${seed}`,
  ];
  return `schemathesis ${name}: ${parts.filter((part) => part !== undefined).join('; ')}`;
}
