// The rule engine: walks the ordered rules over one event and the metric values fetched for it. The
// first matching rule that is not a shadow decides (none: allow); every matching shadow rule is
// reported as what it would have done, wherever it stands, and never changes the decision.
import { holds, metricsOf, type ConditionInput } from '../rules/condition';
import { metricKey, type MetricRequest } from '../rules/metrics';
import type { Action, Rule, RuleSet, Severity } from '../rules/ruleSet';
import { fieldsOf, type RiskEvent } from './riskEvent';

export interface Decision {
  /** The deciding rule; undefined when no rule matched and the event is allowed by default. */
  readonly rule: Rule | undefined;
  readonly action: Action;
  readonly severity: Severity | undefined;
}

export interface Outcome {
  readonly decision: Decision;
  /** Shadow rules that matched, in rule order. */
  readonly shadowHits: readonly Rule[];
}

export const DEFAULT_DECISION: Decision = { rule: undefined, action: 'allow', severity: undefined };

/** The rules that look at this type of event. */
export function rulesFor(ruleSet: RuleSet, eventType: string): Rule[] {
  return ruleSet.rules.filter((rule) => (rule.on as readonly string[]).includes(eventType));
}

/** Every (metric, window) the rules for this event type read, once each. */
export function metricRequests(ruleSet: RuleSet, eventType: string): MetricRequest[] {
  const byKey = new Map<string, MetricRequest>();
  for (const rule of rulesFor(ruleSet, eventType))
    for (const request of metricsOf(rule.when)) byKey.set(metricKey(request), request);
  return [...byKey.values()];
}

/** Metric values by metricKey; a key without a value reads as undefined. */
export type MetricValues = ReadonlyMap<string, number | undefined>;

export function decide(ruleSet: RuleSet, event: RiskEvent, values: MetricValues): Outcome {
  const input: ConditionInput = {
    fields: fieldsOf(event),
    metric: (metric, window) => values.get(metricKey({ metric, window })),
  };
  let decision: Decision | undefined;
  const shadowHits: Rule[] = [];
  for (const rule of rulesFor(ruleSet, event.eventType)) {
    if (!rule.shadow && decision !== undefined) continue;
    if (!holds(rule.when, input)) continue;
    if (rule.shadow) shadowHits.push(rule);
    else decision = { rule, action: rule.action, severity: rule.severity };
  }
  return { decision: decision ?? DEFAULT_DECISION, shadowHits };
}
