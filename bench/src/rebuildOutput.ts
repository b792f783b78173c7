// What `offchainCommand.js rebuild` prints: the mirror's JSON log lines, then one JSON line with the
// replay's rate (offchain-db/src/mirror/main.ts). Pure, so the parsing is unit-tested.

export interface RebuildResult {
  readonly rebuiltToBlock: number;
  readonly blocks: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly transitionsPerSecond: number;
  readonly blocksPerSecond: number;
}

export type RebuildReport =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'done' | 'timeout' | 'failed';
      readonly result?: RebuildResult;
      readonly reason?: string;
      readonly schema: string;
      readonly timeoutSeconds: number;
      readonly wallSeconds: number;
      /** Whether the scratch schema is gone afterwards (and why not, if not). */
      readonly schemaDropped: boolean;
      readonly dropError?: string;
    };

function resultOf(value: unknown): RebuildResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const numbers = ['blocks', 'transitions', 'seconds', 'transitionsPerSecond', 'blocksPerSecond'] as const;
  if (!numbers.every((name) => typeof fields[name] === 'number')) return undefined;
  const target = fields['rebuiltToBlock'];
  if (typeof target !== 'string' || !/^-?\d+$/.test(target)) return undefined;
  return {
    rebuiltToBlock: Number(target),
    blocks: fields['blocks'] as number,
    transitions: fields['transitions'] as number,
    seconds: fields['seconds'] as number,
    transitionsPerSecond: fields['transitionsPerSecond'] as number,
    blocksPerSecond: fields['blocksPerSecond'] as number,
  };
}

/** The last line of `output` that is the rebuild's result; log lines and partial lines are skipped. */
export function rebuildResultOf(output: string): RebuildResult | undefined {
  let found: RebuildResult | undefined;
  for (const line of output.split('\n')) {
    if (!line.includes('"rebuiltToBlock"')) continue;
    try {
      found = resultOf(JSON.parse(line)) ?? found;
    } catch {
      // Not JSON: keep looking.
    }
  }
  return found;
}

/** The rebuild's row of the summary table. */
export function rebuildSummary(report: RebuildReport): Readonly<Record<string, number>> | string {
  if (report.status === 'skipped') return report.reason;
  if (report.status !== 'done' || report.result === undefined)
    return `${report.status}: ${report.reason ?? 'no result'}`;
  const { transitionsPerSecond, blocksPerSecond, blocks, seconds } = report.result;
  return { transitionsPerSecond, blocksPerSecond, blocks, seconds: Math.round(seconds * 10) / 10 };
}

/** BENCH_REBUILD_TIMEOUT_SECONDS: a positive number of seconds, 300 when unset. */
export function rebuildTimeoutSeconds(value: string | undefined): number {
  if (value === undefined || value === '') return 300;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`BENCH_REBUILD_TIMEOUT_SECONDS must be a positive number of seconds, not ${value}`);
  return seconds;
}

/** Markdown lines of the rebuild section. */
export function rebuildLines(report: RebuildReport): string[] {
  if (report.status === 'skipped') return [`Skipped: ${report.reason}.`];
  const dropped = report.schemaDropped
    ? `scratch schema \`${report.schema}\` dropped afterwards`
    : `scratch schema \`${report.schema}\` NOT dropped: ${report.dropError ?? 'unknown error'}`;
  const bound = `bound ${String(report.timeoutSeconds)} s, wall ${String(report.wallSeconds)} s`;
  if (report.status !== 'done' || report.result === undefined)
    return [`Rebuild ${report.status}: ${report.reason ?? 'no result'} (${bound}); ${dropped}.`];
  const r = report.result;
  return [
    `Replayed blocks 0–${String(r.rebuiltToBlock)} into \`${report.schema}\`: ${String(r.blocks)} blocks and ${String(r.transitions)} transitions in ${String(r.seconds)} s — **${String(r.transitionsPerSecond)} transitions/s, ${String(r.blocksPerSecond)} blocks/s** (${bound}); ${dropped}.`,
  ];
}
