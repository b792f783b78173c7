// Greedy peeling (Charikar's 2-approximation of the densest subgraph): remove the node of least
// weighted degree, one at a time, and keep the stage whose density (edge weight per node) was highest.
import { compare, type WeightedGraph } from './mutualReviewGraph';

/**
 * The densest stage of peeling `nodes` that still has at least `minSize` nodes; on equal density the
 * smaller stage (peeled further), so a ring does not keep a neighbour that adds as much as it costs.
 * Ties between nodes of equal degree go to the smaller key, so the result is deterministic.
 */
export function densestGroup(graph: WeightedGraph, nodes: readonly string[], minSize: number): string[] {
  const alive = new Set(nodes);
  const degree = new Map<string, number>();
  let weight = 0;
  for (const node of nodes) {
    let sum = 0;
    for (const [other, edge] of graph.get(node) ?? []) if (alive.has(other)) sum += edge;
    degree.set(node, sum);
    weight += sum;
  }
  weight /= 2;
  let best = [...nodes];
  let bestDensity = nodes.length === 0 ? 0 : weight / nodes.length;
  const order = [...nodes].sort(compare);
  while (alive.size > minSize) {
    const weakest = leastDegree(order, alive, degree);
    alive.delete(weakest);
    for (const [other, edge] of graph.get(weakest) ?? [])
      if (alive.has(other)) {
        degree.set(other, (degree.get(other) ?? 0) - edge);
        weight -= edge;
      }
    const density = weight / alive.size;
    if (density >= bestDensity) {
      bestDensity = density;
      best = [...alive];
    }
  }
  return best.sort(compare);
}

function leastDegree(
  order: readonly string[],
  alive: ReadonlySet<string>,
  degree: ReadonlyMap<string, number>,
) {
  let weakest = '';
  let least = Infinity;
  for (const node of order) {
    if (!alive.has(node)) continue;
    const value = degree.get(node) ?? 0;
    if (value < least) {
      least = value;
      weakest = node;
    }
  }
  return weakest;
}
