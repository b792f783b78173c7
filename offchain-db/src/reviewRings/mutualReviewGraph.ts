// The mutual-high-review graph: parties are nodes, and two parties are joined when each gave the
// other at least one high review; the edge weighs how many such exchanges they had. Then its
// triangle-closing part (a 3-truss): only edges whose two ends share a third neighbour stay.
import { partyKey, type RingReview } from './reviewRingModel';

/** Undirected weighted graph over party keys; every adjacency map is symmetric. */
export type WeightedGraph = ReadonlyMap<string, ReadonlyMap<string, number>>;

export function mutualHighReviewGraph(reviews: readonly RingReview[], highRating: number): WeightedGraph {
  const given = new Map<string, Map<string, number>>();
  for (const review of reviews) {
    if (review.rating < highRating) continue;
    const from = partyKey(review.reviewer);
    const to = partyKey(review.subject);
    if (from === to) continue;
    const row = given.get(from) ?? new Map<string, number>();
    row.set(to, (row.get(to) ?? 0) + 1);
    given.set(from, row);
  }
  const graph = new Map<string, Map<string, number>>();
  for (const [from, row] of given)
    for (const [to, count] of row) {
      const back = given.get(to)?.get(from) ?? 0;
      if (back === 0) continue;
      const weight = Math.min(count, back);
      adjacency(graph, from).set(to, weight);
      adjacency(graph, to).set(from, weight);
    }
  return graph;
}

function adjacency(graph: Map<string, Map<string, number>>, node: string): Map<string, number> {
  const row = graph.get(node) ?? new Map<string, number>();
  graph.set(node, row);
  return row;
}

/**
 * The subgraph over `nodes` keeping only edges that lie on a triangle, removed repeatedly until every
 * remaining edge does. Members of a ring vouch for each other, so their edges close triangles; an
 * honest trader's mutual reviews are with partners who seldom trade with each other.
 */
export function triangleTruss(graph: WeightedGraph, nodes: ReadonlySet<string>): WeightedGraph {
  const truss = new Map<string, Map<string, number>>();
  for (const node of nodes) {
    const row = new Map<string, number>();
    for (const [other, weight] of graph.get(node) ?? []) if (nodes.has(other)) row.set(other, weight);
    if (row.size > 0) truss.set(node, row);
  }
  for (let removed = true; removed; ) {
    removed = false;
    for (const [node, row] of [...truss].sort(([a], [b]) => compare(a, b)))
      for (const other of [...row.keys()].sort(compare)) {
        if (node > other || onTriangle(truss, node, other)) continue;
        row.delete(other);
        truss.get(other)?.delete(node);
        removed = true;
      }
    for (const [node, row] of [...truss]) if (row.size === 0) truss.delete(node);
  }
  return truss;
}

function onTriangle(graph: WeightedGraph, a: string, b: string): boolean {
  const rowA = graph.get(a);
  const rowB = graph.get(b);
  if (rowA === undefined || rowB === undefined) return false;
  const [small, large] = rowA.size <= rowB.size ? [rowA, rowB] : [rowB, rowA];
  for (const third of small.keys()) if (third !== a && third !== b && large.has(third)) return true;
  return false;
}

/** Connected components, each sorted, in the order of their smallest node. */
export function components(graph: WeightedGraph): string[][] {
  const seen = new Set<string>();
  const found: string[][] = [];
  for (const start of [...graph.keys()].sort(compare)) {
    if (seen.has(start)) continue;
    const component: string[] = [];
    const queue = [start];
    seen.add(start);
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      component.push(next);
      for (const other of graph.get(next)?.keys() ?? [])
        if (!seen.has(other)) {
          seen.add(other);
          queue.push(other);
        }
    }
    found.push(component.sort(compare));
  }
  return found;
}

/** Plain code-unit order, so the result never depends on the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
