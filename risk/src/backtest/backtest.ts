// A backtest: the projection's history replayed through a rule set in ledger order, into aggregates
// kept in memory, acting on nothing. It counts, per rule, how often it decided (or, for a shadow
// rule, would have acted) among the events at or after `since`; events before `since` still feed
// the aggregates, so windows and histories are what the live service saw.
import { MemoryFacts } from '../aggregates/memoryFacts';
import { assess } from '../engine/assess';
import type { RiskEvent } from '../engine/riskEvent';
import type { Action, RuleSet } from '../rules/ruleSet';

export interface RuleHits {
  readonly rule: string;
  readonly action: Action;
  readonly shadow: boolean;
  /** Events the rule decided (a shadow rule: matched). */
  hits: number;
  /** Distinct escrows among them. */
  readonly escrows: Set<string>;
}

export interface BacktestReport {
  readonly events: number;
  readonly assessed: number;
  /** Events no rule decided: allowed by default. */
  defaultAllowed: number;
  readonly rules: readonly RuleHits[];
}

export async function backtest(
  ruleSet: RuleSet,
  history: AsyncIterable<RiskEvent> | Iterable<RiskEvent>,
  since: number | undefined,
): Promise<BacktestReport> {
  const facts = new MemoryFacts();
  const aggregates = {
    addFacts: (added: Parameters<MemoryFacts['add']>[0]) => {
      facts.add(added);
      return Promise.resolve();
    },
    count: facts.count.bind(facts),
    median: facts.median.bind(facts),
  };
  const byRule = new Map<string, RuleHits>(
    ruleSet.rules.map((rule) => [
      rule.name,
      { rule: rule.name, action: rule.action, shadow: rule.shadow, hits: 0, escrows: new Set<string>() },
    ]),
  );
  let events = 0;
  let assessed = 0;
  let defaultAllowed = 0;
  for await (const event of history) {
    events += 1;
    const outcome = await assess(ruleSet, event, aggregates);
    if (since !== undefined && event.at < since) continue;
    assessed += 1;
    const matched = [
      ...(outcome.decision.rule === undefined ? [] : [outcome.decision.rule]),
      ...outcome.shadowHits,
    ];
    if (outcome.decision.rule === undefined) defaultAllowed += 1;
    for (const rule of matched) {
      const hits = byRule.get(rule.name);
      if (hits === undefined) continue;
      hits.hits += 1;
      hits.escrows.add(event.escrowId);
    }
  }
  return { events, assessed, defaultAllowed, rules: [...byRule.values()] };
}

/** The report as the command prints it: one line per rule, in rule order. */
export function reportLines(report: BacktestReport): string[] {
  const width = Math.max(4, ...report.rules.map((rule) => rule.rule.length));
  return [
    `events replayed: ${String(report.events)}, assessed: ${String(report.assessed)}, allowed by default: ${String(report.defaultAllowed)}`,
    `${'rule'.padEnd(width)}  mode    action  hits  escrows`,
    ...report.rules.map(
      (rule) =>
        `${rule.rule.padEnd(width)}  ${(rule.shadow ? 'shadow' : 'live').padEnd(6)}  ${rule.action.padEnd(6)}  ${String(rule.hits).padStart(4)}  ${String(rule.escrows.size).padStart(7)}`,
    ),
  ];
}
