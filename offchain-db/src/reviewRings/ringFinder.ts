/**
 * Review-ring finder: groups of parties who trade mostly with each other and rate each other highly,
 * so that their reputation says more about the group than about how they trade with others.
 *
 * The algorithm, over the projection's trades (funded escrows) and reviews; pure and deterministic
 * (every tie goes to the smaller party key, so the same input gives the same groups):
 * 1. Mutual-high-review graph: parties are nodes; an edge joins two parties who each gave the other at
 *    least one review of `highRating` stars or more, weighted by how many such exchanges they had.
 * 2. Triangle truss: edges that close no triangle are removed until every edge does. A ring's members
 *    all vouch for each other, so their edges close triangles; honest mutual reviews are between
 *    partners who seldom trade with each other's partners, so most of them fall away here.
 * 3. Dense groups: each connected component of the truss with at least `minMembers` parties is
 *    peeled greedily (the node of least weighted degree leaves first), and the stage of highest
 *    density (edge weight per member, at least `minMembers` left) is the candidate. Its parties leave
 *    the graph and step 2 runs again on the rest, until no component is large enough; so two rings
 *    joined through a camouflage trade are found one after the other.
 * 4. Trade filter: a candidate's members who keep less than `minMemberInternalShare` of their own
 *    trades inside it are dropped, weakest first. What remains is flagged when it still has
 *    `minMembers` parties, at least `minPairDensity` of its pairs rated each other highly both ways,
 *    at least `minInternalShare` of its members' trades (each member's side of a trade counted) are
 *    with another member, and those internal trades number `minInternalTrades` and reach
 *    `minInternalVolume` in one currency.
 * Each flagged group carries its evidence and the high reviews its members gave each other, which is
 * what reputation "excluding flagged reviews" leaves out. Limits: a ring whose mutual reviews close no
 * triangle (a pure cycle of four or more) is not found, and a ring that hides most of its trading
 * among outsiders is not one by this definition.
 */
import { createHash } from 'node:crypto';
import { densestGroup } from './densestGroup';
import {
  compare,
  components,
  mutualHighReviewGraph,
  triangleTruss,
  type WeightedGraph,
} from './mutualReviewGraph';
import {
  DEFAULT_REVIEW_RING_CONFIG,
  partyKey,
  partyOfKey,
  type ReviewRing,
  type ReviewRingConfig,
  type RingReview,
  type RingTrade,
} from './reviewRingModel';

export function findReviewRings(
  trades: readonly RingTrade[],
  reviews: readonly RingReview[],
  config: ReviewRingConfig = DEFAULT_REVIEW_RING_CONFIG,
): ReviewRing[] {
  const graph = mutualHighReviewGraph(reviews, config.highRating);
  const tradesOf = tradesByParty(trades);
  const active = new Set(graph.keys());
  const rings: ReviewRing[] = [];
  for (;;) {
    const truss = triangleTruss(graph, active);
    const candidates = components(truss).filter((component) => component.length >= config.minMembers);
    if (candidates.length === 0) break;
    for (const component of candidates) {
      const dense = densestGroup(truss, component, config.minMembers);
      for (const node of dense) active.delete(node);
      const members = trimmedToTraders(dense, tradesOf, config);
      const ring = members && ringIfQualified(members, graph, tradesOf, reviews, config);
      if (ring) rings.push(ring);
    }
  }
  return rings.sort((a, b) => compare(a.groupId, b.groupId));
}

function tradesByParty(trades: readonly RingTrade[]): Map<string, RingTrade[]> {
  const byParty = new Map<string, RingTrade[]>();
  for (const trade of trades)
    for (const key of new Set([partyKey(trade.buyer), partyKey(trade.seller)])) {
      const list = byParty.get(key) ?? [];
      list.push(trade);
      byParty.set(key, list);
    }
  return byParty;
}

function isInternal(trade: RingTrade, members: ReadonlySet<string>): boolean {
  return members.has(partyKey(trade.buyer)) && members.has(partyKey(trade.seller));
}

/** Drops, weakest first, members who trade mostly outside the group; undefined when too few stay. */
function trimmedToTraders(
  group: readonly string[],
  tradesOf: ReadonlyMap<string, readonly RingTrade[]>,
  config: ReviewRingConfig,
): Set<string> | undefined {
  const members = new Set(group);
  while (members.size >= config.minMembers) {
    let weakest: string | undefined;
    let least = Infinity;
    for (const member of [...members].sort(compare)) {
      const own = tradesOf.get(member) ?? [];
      const share =
        own.length === 0 ? 0 : own.filter((trade) => isInternal(trade, members)).length / own.length;
      if (share < least) {
        least = share;
        weakest = member;
      }
    }
    if (weakest === undefined || least >= config.minMemberInternalShare) return members;
    members.delete(weakest);
  }
  return undefined;
}

function ringIfQualified(
  members: ReadonlySet<string>,
  graph: WeightedGraph,
  tradesOf: ReadonlyMap<string, readonly RingTrade[]>,
  reviews: readonly RingReview[],
  config: ReviewRingConfig,
): ReviewRing | undefined {
  const sorted = [...members].sort(compare);
  const touching = new Map<string, RingTrade>();
  for (const member of sorted)
    for (const trade of tradesOf.get(member) ?? []) touching.set(trade.escrowId, trade);
  const internal = [...touching.values()].filter((trade) => isInternal(trade, members));
  const internalVolume: Record<string, bigint> = {};
  for (const trade of internal)
    internalVolume[trade.currency] = (internalVolume[trade.currency] ?? 0n) + trade.amount;
  let pairs = 0;
  for (const [index, member] of sorted.entries())
    for (const other of sorted.slice(index + 1)) if (graph.get(member)?.has(other) === true) pairs += 1;
  const possiblePairs = (sorted.length * (sorted.length - 1)) / 2;
  // Each member's side of a trade counts: the share of the members' trading done with each other.
  const sides = sorted.reduce((sum, member) => sum + (tradesOf.get(member)?.length ?? 0), 0);
  const internalTradeShare = sides === 0 ? 0 : (2 * internal.length) / sides;
  const pairDensity = pairs / possiblePairs;
  const largestVolume = Object.values(internalVolume).reduce((most, each) => (each > most ? each : most), 0n);
  if (
    pairDensity < config.minPairDensity ||
    internalTradeShare < config.minInternalShare ||
    internal.length < config.minInternalTrades ||
    largestVolume < config.minInternalVolume
  )
    return undefined;
  const flaggedReviews = reviews
    .filter(
      (review) =>
        review.rating >= config.highRating &&
        members.has(partyKey(review.reviewer)) &&
        members.has(partyKey(review.subject)),
    )
    .sort((a, b) => compare(a.escrowId, b.escrowId) || compare(partyKey(a.reviewer), partyKey(b.reviewer)));
  return {
    groupId: createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 16),
    members: sorted.map(partyOfKey),
    internalTrades: internal.length,
    memberTrades: touching.size,
    internalTradeShare,
    mutualHighReviewPairs: pairs,
    pairDensity,
    internalVolume,
    flaggedReviews,
  };
}
