// A service's Prometheus metrics as the bench reads them: one scrape of /metrics into a map of
// series to values, a histogram's buckets, and a percentile between two scrapes (a bucket's bound).

export type Metrics = Map<string, number>;

export async function scrape(url: string): Promise<Metrics> {
  const metrics: Metrics = new Map();
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const space = line.lastIndexOf(' ');
      metrics.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  } catch {
    // Counted as a missing sample.
  }
  return metrics;
}

export function buckets(metrics: Metrics, name: string): Map<number, number> {
  const result = new Map<number, number>();
  for (const [key, value] of metrics) {
    const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`).exec(key);
    if (match?.[1] !== undefined) result.set(match[1] === '+Inf' ? Infinity : Number(match[1]), value);
  }
  return result;
}

/** The upper bound of the bucket holding percentile p of the observations between two scrapes. */
export function bucketPercentile(before: Map<number, number>, after: Map<number, number>, p: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return Number.NaN;
  for (const bound of bounds) {
    if ((after.get(bound) ?? 0) - (before.get(bound) ?? 0) >= (p / 100) * total) return bound;
  }
  return Infinity;
}
