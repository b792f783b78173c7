// The aggregates' port: counts and medians over the facts of one subject in a window of ledger
// time. Its adapters: PostgreSQL for the service (store/pgRiskStore.ts), memory for backtests and
// tests (aggregates/memoryFacts.ts).
import type { FactKind, Subject } from '../rules/metrics';

export interface FactQuery {
  readonly kind: FactKind;
  readonly subject: Subject;
  /** The subject's key: a party (`<marketplace>/<userId>`) or a marketplace. */
  readonly key: string;
  /** Facts at or after this instant (ms); undefined: since the beginning. */
  readonly since: number | undefined;
  /** Facts at or before this instant (ms). */
  readonly until: number;
  /** Leave out this escrow's facts (a party's history before this trade). */
  readonly excludeEscrowId?: string;
  /** Only lost disputes. */
  readonly lostOnly?: boolean;
}

export interface FactView {
  count(query: FactQuery): Promise<number>;
  /** The median amount of the matching facts; undefined when there is none. */
  median(query: FactQuery): Promise<number | undefined>;
}
