// Where a layer's transactions spend the machine's CPU: each process's CPU while the layer's best step
// ran, less what the same process spends with the stack at rest (sampled before any load), divided by
// the transactions the step achieved. Summed over the processes this is the CPU one transaction costs
// the whole system; on a machine whose cores are all busy, throughput is about the cores' time divided
// by it, so the ratio of two layers' sums explains the ratio of their rates.
import type { ProcessUsage } from './procSampler';

export interface ProcessCost {
  readonly name: string;
  /** CPU (ms) this process spent per transaction over its at-rest use; never negative. */
  readonly msPerTransaction: number;
}

export interface LayerCpuCost {
  readonly tps: number;
  readonly processes: readonly ProcessCost[];
  /** Σ over the processes. */
  readonly totalMsPerTransaction: number;
  /** CPU the stack spends at rest, in % of one core (the same in every layer). */
  readonly atRestPercent: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** What the whole stack spends at rest, in % of one core. */
export function atRestPercent(atRest: readonly ProcessUsage[]): number {
  return round(atRest.reduce((sum, usage) => sum + usage.cpuPercentMean, 0));
}

/** `NaN` figures when the layer achieved nothing: there is no per-transaction cost to state. */
export function cpuPerTransaction(
  atRest: readonly ProcessUsage[],
  underLoad: readonly ProcessUsage[],
  tps: number,
): LayerCpuCost {
  const restOf = new Map(atRest.map((usage) => [usage.name, usage.cpuPercentMean]));
  const restPercent = atRestPercent(atRest);
  if (!(tps > 0)) return { tps, processes: [], totalMsPerTransaction: NaN, atRestPercent: restPercent };
  // % of one core → ms of CPU per second, over transactions per second.
  const processes = underLoad
    .map((usage) => ({
      name: usage.name,
      msPerTransaction: round((Math.max(0, usage.cpuPercentMean - (restOf.get(usage.name) ?? 0)) * 10) / tps),
    }))
    .sort((a, b) => b.msPerTransaction - a.msPerTransaction);
  const total = processes.reduce((sum, cost) => sum + cost.msPerTransaction, 0);
  return { tps, processes, totalMsPerTransaction: round(total), atRestPercent: restPercent };
}

/**
 * One Markdown table, a row per process and a column per layer, processes in the order of the last
 * layer's cost; rows under 0.1 ms in every layer are left out, the total row is last.
 */
export function cpuPerTransactionTable(layers: readonly { name: string; cost: LayerCpuCost }[]): string[] {
  if (layers.length === 0) return [];
  const names: string[] = [];
  for (const { cost } of [...layers].reverse())
    for (const process of cost.processes) if (!names.includes(process.name)) names.push(process.name);
  const cell = (cost: LayerCpuCost, name: string) => {
    const found = cost.processes.find((process) => process.name === name);
    return found === undefined ? '–' : String(found.msPerTransaction);
  };
  const rows = names
    .filter((name) =>
      layers.some(({ cost }) => (cost.processes.find((p) => p.name === name)?.msPerTransaction ?? 0) >= 0.1),
    )
    .map((name) => `| ${name} | ${layers.map(({ cost }) => cell(cost, name)).join(' | ')} |`);
  return [
    `| process | ${layers.map(({ name }) => `${name} (ms/tx)`).join(' | ')} |`,
    `| --- | ${layers.map(() => '---').join(' | ')} |`,
    ...rows,
    `| **total** | ${layers.map(({ cost }) => `**${String(cost.totalMsPerTransaction)}**`).join(' | ')} |`,
    `| achieved tx/s | ${layers.map(({ cost }) => String(cost.tps)).join(' | ')} |`,
  ];
}
