// One event through the rules: its facts join the aggregates, the metrics its rules read are
// fetched, and the engine decides. The live service does this inside the message's database
// transaction; a backtest does it over memory.
import { factsOf, type Fact } from '../aggregates/facts';
import type { FactView } from '../aggregates/factView';
import { metricValues } from '../aggregates/metricValues';
import type { RuleSet } from '../rules/ruleSet';
import { decide, metricRequests, type Outcome } from './decide';
import type { RiskEvent } from './riskEvent';

export interface Aggregates extends FactView {
  addFacts(facts: readonly Fact[]): Promise<void>;
}

export async function assess(ruleSet: RuleSet, event: RiskEvent, aggregates: Aggregates): Promise<Outcome> {
  await aggregates.addFacts(factsOf(event));
  const values = await metricValues(metricRequests(ruleSet, event.eventType), event, aggregates);
  return decide(ruleSet, event, values);
}
