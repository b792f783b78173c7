// Which parts of `npm run bench` run: all by default, or the comma-separated subset of
// BENCH_LAYERS (e.g. `gateway` alone, with the mirror and risk service observed under its load). A
// name the bench does not know stops it before anything runs, rather than measuring less than asked.
export const BENCH_LAYERS = ['ceiling', 'chaincode', 'gateway', 'caliper', 'search', 'rebuild'] as const;
export type BenchLayer = (typeof BENCH_LAYERS)[number];

function isBenchLayer(name: string): name is BenchLayer {
  return (BENCH_LAYERS as readonly string[]).includes(name);
}

export function layersToRun(setting: string | undefined): ReadonlySet<BenchLayer> {
  if (setting === undefined || setting.trim() === '') return new Set(BENCH_LAYERS);
  const names = setting
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !isBenchLayer(name));
  if (unknown.length > 0)
    throw new Error(`BENCH_LAYERS: unknown ${unknown.join(', ')} (known: ${BENCH_LAYERS.join(', ')})`);
  return new Set(names.filter(isBenchLayer));
}
