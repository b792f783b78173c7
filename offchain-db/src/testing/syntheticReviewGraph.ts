// Synthetic markets for the review-ring finder: honest traders who buy from random partners (and
// sometimes from the same partner again), review most trades, mostly highly, and so often exchange
// high reviews both ways; and planted rings of 3–8 parties who trade among themselves and rate each
// other five stars, some of them camouflaged by a few trades with honest parties. Seeded, so a seed
// gives the same market every time; the draws come from fast-check's generator.
import fc from 'fast-check';
import type { RingParty, RingReview, RingTrade } from '../reviewRings/reviewRingModel';
import { partyKey } from '../reviewRings/reviewRingModel';

export interface SyntheticMarketSpec {
  readonly honestTraders: number;
  /** Each honest trader buys this many times at most (at least once). */
  readonly maxPurchases: number;
  /** Chance that an honest purchase is from a seller the buyer bought from before. */
  readonly repeatChance: number;
  readonly rings: number;
  /** Chance that a ring's members also trade with honest parties, 1–3 trades each. */
  readonly camouflageChance: number;
}

export const DEFAULT_MARKET_SPEC: SyntheticMarketSpec = {
  honestTraders: 300,
  maxPurchases: 8,
  repeatChance: 0.25,
  rings: 6,
  camouflageChance: 0.5,
};

export interface SyntheticMarket {
  readonly trades: readonly RingTrade[];
  readonly reviews: readonly RingReview[];
  readonly plantedRings: readonly (readonly RingParty[])[];
}

const MARKETPLACES = ['MarketA', 'MarketB'] as const;
const BATCH = 20_000;

/** Uniform integers drawn from fast-check's seeded generator, a batch at a time. */
class SeededDraws {
  private values: number[] = [];
  private next = 0;
  private batch = 0;

  constructor(private readonly seed: number) {}

  /** A uniform number in [0, 1). */
  uniform(): number {
    if (this.next >= this.values.length) {
      this.values = fc.sample(fc.noBias(fc.integer({ min: 0, max: 0x7fffffff })), {
        seed: this.seed * 7919 + this.batch,
        numRuns: BATCH,
      });
      this.batch += 1;
      this.next = 0;
    }
    return (this.values[this.next++] ?? 0) / 0x80000000;
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.uniform() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.between(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** An honest reviewer's stars: mostly 5 and 4, sometimes less. */
function honestRating(draws: SeededDraws): number {
  const roll = draws.uniform();
  return roll < 0.6 ? 5 : roll < 0.85 ? 4 : roll < 0.95 ? 3 : draws.between(1, 2);
}

export function syntheticMarket(
  seed: number,
  spec: SyntheticMarketSpec = DEFAULT_MARKET_SPEC,
): SyntheticMarket {
  const draws = new SeededDraws(seed);
  const trades: RingTrade[] = [];
  const reviews: RingReview[] = [];
  const trade = (
    buyer: RingParty,
    seller: RingParty,
    buyerRates: number | null,
    sellerRates: number | null,
  ) => {
    const escrowId = `syn-${String(seed)}-${String(trades.length)}`;
    const currency = draws.chance(0.9) ? 'EUR' : 'GBP';
    trades.push({ escrowId, buyer, seller, amount: BigInt(draws.between(500, 50_000)), currency });
    if (buyerRates !== null) reviews.push({ escrowId, reviewer: buyer, subject: seller, rating: buyerRates });
    if (sellerRates !== null)
      reviews.push({ escrowId, reviewer: seller, subject: buyer, rating: sellerRates });
  };
  const honestReview = () => (draws.chance(0.75) ? honestRating(draws) : null);

  const honest: RingParty[] = [];
  for (let index = 0; index < spec.honestTraders; index++)
    honest.push({ marketplace: draws.pick(MARKETPLACES), userId: `h${String(index)}` });
  const boughtFrom = new Map<string, RingParty[]>();
  for (const buyer of honest) {
    const purchases = draws.between(1, spec.maxPurchases);
    for (let count = 0; count < purchases; count++) {
      const before = boughtFrom.get(partyKey(buyer)) ?? [];
      let seller =
        before.length > 0 && draws.chance(spec.repeatChance) ? draws.pick(before) : draws.pick(honest);
      if (seller === buyer) seller = honest[(honest.indexOf(buyer) + 1) % honest.length] ?? buyer;
      before.push(seller);
      boughtFrom.set(partyKey(buyer), before);
      trade(buyer, seller, honestReview(), honestReview());
    }
  }

  const plantedRings: RingParty[][] = [];
  for (let ring = 0; ring < spec.rings; ring++) {
    const size = draws.between(3, 8);
    const members: RingParty[] = [];
    for (let index = 0; index < size; index++)
      members.push({ marketplace: draws.pick(MARKETPLACES), userId: `r${String(ring)}m${String(index)}` });
    plantedRings.push(members);
    for (const [a, b] of ringPairs(members, draws)) {
      const times = draws.between(1, 3);
      for (let count = 0; count < times; count++) {
        const [buyer, seller] = draws.chance(0.5) ? [a, b] : [b, a];
        trade(buyer, seller, draws.chance(0.1) ? 4 : 5, 5);
      }
    }
    if (draws.chance(spec.camouflageChance))
      for (const member of members) {
        const outside = draws.between(1, 3);
        for (let count = 0; count < outside; count++) {
          const partner = draws.pick(honest);
          if (draws.chance(0.5)) trade(member, partner, 5, honestReview());
          else trade(partner, member, honestReview(), 5);
        }
      }
  }
  return { trades, reviews, plantedRings };
}

/** Which members trade: every pair of a ring of three; a cycle through larger ones plus most other pairs. */
function ringPairs(members: readonly RingParty[], draws: SeededDraws): [RingParty, RingParty][] {
  const pairs: [RingParty, RingParty][] = [];
  for (const [i, a] of members.entries())
    for (const [j, b] of members.entries()) {
      if (j <= i) continue;
      const onCycle = j === i + 1 || (i === 0 && j === members.length - 1);
      if (members.length === 3 || onCycle || draws.chance(0.6)) pairs.push([a, b]);
    }
  return pairs;
}

export interface DetectionScore {
  readonly memberPrecision: number;
  readonly memberRecall: number;
  readonly ringPrecision: number;
  readonly ringRecall: number;
}

/**
 * Per member: flagged parties that were planted / flagged, and planted parties flagged / planted. Per
 * ring: a flagged group is right, and a planted ring found, when the two share at least half of their
 * union (Jaccard ≥ 0.5). Nothing flagged counts as precision 1.
 */
export function detectionScore(
  planted: readonly (readonly RingParty[])[],
  flagged: readonly (readonly RingParty[])[],
): DetectionScore {
  const keysOf = (group: readonly RingParty[]) => new Set(group.map(partyKey));
  const plantedSets = planted.map(keysOf);
  const flaggedSets = flagged.map(keysOf);
  const plantedMembers = new Set(plantedSets.flatMap((set) => [...set]));
  const flaggedMembers = new Set(flaggedSets.flatMap((set) => [...set]));
  const hits = [...flaggedMembers].filter((key) => plantedMembers.has(key)).length;
  const matches = (a: ReadonlySet<string>, b: ReadonlySet<string>) => {
    const shared = [...a].filter((key) => b.has(key)).length;
    return shared / (a.size + b.size - shared) >= 0.5;
  };
  return {
    memberPrecision: flaggedMembers.size === 0 ? 1 : hits / flaggedMembers.size,
    memberRecall: plantedMembers.size === 0 ? 1 : hits / plantedMembers.size,
    ringPrecision:
      flaggedSets.length === 0
        ? 1
        : flaggedSets.filter((set) => plantedSets.some((ring) => matches(set, ring))).length /
          flaggedSets.length,
    ringRecall:
      plantedSets.length === 0
        ? 1
        : plantedSets.filter((ring) => flaggedSets.some((set) => matches(set, ring))).length /
          plantedSets.length,
  };
}
