// A rule's condition: a small tree of comparisons, read from data and evaluated by walking it (no
// code is ever run from a rules file). Leaves compare a metric (an aggregate, maybe over a window)
// or a field of the event with a constant; `all`, `any` and `not` combine them.
import type { MetricName } from './metrics';

export const COMPARISONS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Fields of the event a condition may read: numbers first, then texts. */
export const NUMERIC_FIELDS = ['amount'] as const;
export const TEXT_FIELDS = [
  'eventType',
  'state',
  'currency',
  'buyerMarketplace',
  'sellerMarketplace',
  // A watch list: a rule naming one party.
  'buyerUserId',
  'sellerUserId',
] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
export type TextField = (typeof TEXT_FIELDS)[number];

export interface MetricCondition {
  readonly metric: MetricName;
  readonly window?: string;
  readonly op: Comparison;
  readonly value: number;
}

export interface NumericFieldCondition {
  readonly field: NumericField;
  readonly op: Comparison;
  readonly value: number;
}

export interface TextFieldCondition {
  readonly field: TextField;
  readonly op: '==' | '!=';
  readonly value: string;
}

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | MetricCondition
  | NumericFieldCondition
  | TextFieldCondition;

/** What a condition is evaluated against: the event's fields and the metrics' values. */
export interface ConditionInput {
  readonly fields: Readonly<Record<NumericField, number>> & Readonly<Record<TextField, string>>;
  /** Values by metricKey; undefined when the metric has no value (no history to compare with). */
  readonly metric: (metric: MetricName, window: string | undefined) => number | undefined;
}

/** A comparison with an absent value is false: no history never proves a rule. */
export function compare(left: number | undefined, op: Comparison, right: number): boolean {
  if (left === undefined || Number.isNaN(left)) return false;
  switch (op) {
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '==':
      return left === right;
    case '!=':
      return left !== right;
  }
}

function isTextField(field: string): field is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(field);
}

export function holds(condition: Condition, input: ConditionInput): boolean {
  if ('all' in condition) return condition.all.every((part) => holds(part, input));
  if ('any' in condition) return condition.any.some((part) => holds(part, input));
  if ('not' in condition) return !holds(condition.not, input);
  if ('metric' in condition)
    return compare(input.metric(condition.metric, condition.window), condition.op, condition.value);
  if (isTextField(condition.field)) {
    const equal = input.fields[condition.field] === condition.value;
    return condition.op === '==' ? equal : !equal;
  }
  return compare(input.fields[condition.field], condition.op, condition.value as number);
}

/** Every (metric, window) a condition reads, so the aggregates are fetched once before evaluating. */
export function metricsOf(condition: Condition): { metric: MetricName; window: string | undefined }[] {
  if ('all' in condition) return condition.all.flatMap(metricsOf);
  if ('any' in condition) return condition.any.flatMap(metricsOf);
  if ('not' in condition) return metricsOf(condition.not);
  if ('metric' in condition) return [{ metric: condition.metric, window: condition.window }];
  return [];
}
