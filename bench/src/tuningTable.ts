// One row of the tuning matrix from a bench report: throughput of each layer, the latency floor (the
// lowest offered rate's p50) and the cost (CPU in use at the ceiling's best step), so settings can be
// compared on what they trade.

interface Step {
  readonly offeredTps: number;
  readonly achievedTps: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
}

interface Layer {
  readonly layer: string;
  readonly steps: readonly Step[];
  readonly bestStep?: Step;
  readonly processes: readonly { readonly cpuPercentMean: number }[];
  readonly blocks: { readonly meanTransactions: number; readonly meanIntervalMs: number };
}

export interface BenchReport {
  readonly ordering?: { readonly batchTimeout?: string; readonly maxMessageCount?: number };
  readonly summary: Readonly<Record<string, unknown>>;
  readonly layers: readonly Layer[];
}

export interface TuningFigures {
  readonly ceilingTps: number;
  readonly chaincodeTps: number;
  readonly gatewayTps: number;
  readonly ceilingP99MsAtBest: number;
  readonly chaincodeStepP50MsAtLowest: number;
  readonly gatewayStepP50MsAtLowest: number;
  readonly ceilingBlockMeanTx: number;
  readonly ceilingBlockIntervalMs: number;
  readonly cpuPercentAtCeiling: number;
  /** Time of a fixed workload on every core at once just before the bench (higher = slower host then). */
  readonly cpuCalibrationMs: number;
}

export interface TuningRow {
  readonly setting: string;
  readonly env: Readonly<Record<string, string>>;
  readonly ordering: string;
  readonly report: string;
  readonly figures: TuningFigures;
}

const number = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

export function tuningRow(
  setting: string,
  env: Readonly<Record<string, string>>,
  report: BenchReport,
  file: string,
  cpuCalibrationMs: number,
): TuningRow {
  const layer = (name: string) => report.layers.find((candidate) => candidate.layer === name);
  const ceiling = layer('ceiling');
  const lowestP50 = (name: string) => layer(name)?.steps[0]?.latencyMs.p50 ?? Number.NaN;
  const cpu = (ceiling?.processes ?? []).reduce((sum, process) => sum + process.cpuPercentMean, 0);
  return {
    setting,
    env,
    ordering: `${report.ordering?.batchTimeout ?? '?'} / ${String(report.ordering?.maxMessageCount ?? '?')}`,
    report: file,
    figures: {
      ceilingTps: number(report.summary['ceilingTps']),
      chaincodeTps: number(report.summary['chaincodeTps']),
      gatewayTps: number(report.summary['gatewayTps']),
      ceilingP99MsAtBest: ceiling?.bestStep?.latencyMs.p99 ?? Number.NaN,
      chaincodeStepP50MsAtLowest: lowestP50('chaincode'),
      gatewayStepP50MsAtLowest: lowestP50('gateway'),
      ceilingBlockMeanTx: ceiling?.blocks.meanTransactions ?? Number.NaN,
      ceilingBlockIntervalMs: ceiling?.blocks.meanIntervalMs ?? Number.NaN,
      cpuPercentAtCeiling: Math.round(cpu),
      cpuCalibrationMs,
    },
  };
}

export function tuningTable(rows: readonly TuningRow[], bench: Readonly<Record<string, string>>): string {
  const settings = Object.entries(bench)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return [
    '# Tuning matrix',
    '',
    `Each setting on a new channel, then \`${settings} node bench/dist/main.js\`.`,
    'Latency floor = p50 per lifecycle step at the lowest offered rate; CPU = sum over the sampled',
    'processes at the ceiling’s best step (% of one core, 200 = both cores); calibration = a fixed',
    'workload (200 000 chained SHA-256) run on every core at once just before the bench, slowest copy.',
    '',
    '| setting | BatchTimeout / MaxMessageCount | ceiling tx/s | chaincode tx/s | gateway tx/s | ceiling p99 ms | chaincode step p50 ms | gateway step p50 ms | tx per block | block interval ms | CPU % | calibration ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => {
      const f = row.figures;
      const cells = [
        f.ceilingTps,
        f.chaincodeTps,
        f.gatewayTps,
        f.ceilingP99MsAtBest,
        f.chaincodeStepP50MsAtLowest,
        f.gatewayStepP50MsAtLowest,
        f.ceilingBlockMeanTx,
        f.ceilingBlockIntervalMs,
        f.cpuPercentAtCeiling,
        f.cpuCalibrationMs,
      ].map(String);
      return `| ${row.setting} | ${row.ordering} | ${cells.join(' | ')} |`;
    }),
    '',
  ].join('\n');
}
