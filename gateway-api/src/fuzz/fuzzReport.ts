// The fuzzing run's report: requests, answers by status class and 2xx per operation, from the log of
// calls the schemathesis hooks write (one JSON line per response), and the operations of the document
// that never succeeded.

export interface LoggedCall {
  readonly operation: string;
  readonly status: number;
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
    const { operation, status } = parsed as Record<string, unknown>;
    if (typeof operation === 'string' && typeof status === 'number') calls.push({ operation, status });
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
