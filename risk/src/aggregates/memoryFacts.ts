// The aggregates in memory: a backtest replays history into it, and unit tests read it. Same
// semantics as the PostgreSQL adapter: windows inclusive at both ends, one fact per (event, kind).
import type { Fact } from './facts';
import type { FactQuery, FactView } from './factView';

function subjectKeyOf(fact: Fact, subject: FactQuery['subject']): string {
  switch (subject) {
    case 'buyer':
      return fact.buyer;
    case 'seller':
      return fact.seller;
    case 'buyerMarketplace':
      return fact.buyerMarketplace;
  }
}

export function medianOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export class MemoryFacts implements FactView {
  private readonly facts: Fact[] = [];
  private readonly seen = new Set<string>();

  add(facts: readonly Fact[]): void {
    for (const fact of facts) {
      const id = `${fact.eventId}/${fact.kind}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.facts.push(fact);
    }
  }

  private matching(query: FactQuery): Fact[] {
    return this.facts.filter(
      (fact) =>
        fact.kind === query.kind &&
        subjectKeyOf(fact, query.subject) === query.key &&
        fact.at <= query.until &&
        (query.since === undefined || fact.at >= query.since) &&
        fact.escrowId !== query.excludeEscrowId &&
        (query.lostOnly !== true || fact.lost),
    );
  }

  count(query: FactQuery): Promise<number> {
    return Promise.resolve(this.matching(query).length);
  }

  median(query: FactQuery): Promise<number | undefined> {
    return Promise.resolve(medianOf(this.matching(query).map((fact) => fact.amount)));
  }
}
