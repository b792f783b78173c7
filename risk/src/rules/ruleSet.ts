// The rules file: an ordered list of rules (name, the events it looks at, a condition, an action, a
// severity, shadow or not), validated with zod. A bad file is refused whole, with an error naming
// each offending field by its path (`rules[2].when.all[0].window: ...`), before anything runs.
import {
  EVENT_NAMES,
  RISK_REASON_CODE_MAX_LENGTH,
  RISK_REASON_CODE_PATTERN,
  RISK_RULE_PATTERN,
  RISK_SEVERITIES,
  type EventName,
} from '@p2p-escrow/chaincode';
import * as fs from 'node:fs';
import { z } from 'zod';
import { COMPARISONS, NUMERIC_FIELDS, TEXT_FIELDS, type Condition } from './condition';
import { isMetricName, METRIC_NAMES } from './metrics';
import { windowMs } from './window';

export const ACTIONS = ['allow', 'review', 'hold'] as const;
export type Action = (typeof ACTIONS)[number];
export const SEVERITIES = RISK_SEVERITIES;
export type Severity = (typeof SEVERITIES)[number];

export interface Rule {
  readonly name: string;
  /** The event types the rule looks at. */
  readonly on: readonly EventName[];
  readonly when: Condition;
  readonly action: Action;
  readonly severity: Severity;
  /** A shadow rule only records what it would have done. */
  readonly shadow: boolean;
  /** The reason code a hold carries on the ledger (UPPER_SNAKE); default: the name in upper snake case. */
  readonly reasonCode: string;
}

export interface RuleSet {
  readonly rules: readonly Rule[];
}

export const RISK_RULES_INVALID = 'RISK_RULES_INVALID';

/** A rules file that cannot be used; `problems` name each bad field by its path. */
export class RulesFileError extends Error {
  readonly code = RISK_RULES_INVALID;

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: invalid rules: ${problems.join('; ')}`);
    this.name = 'RulesFileError';
  }
}

const comparison = z.enum(COMPARISONS);

const metricCondition = z.strictObject({
  metric: z.string().refine(isMetricName, { message: `must be one of ${METRIC_NAMES.join(', ')}` }),
  window: z
    .string()
    .refine((text) => windowMs(text) !== undefined, {
      message: 'must be a count and a unit (s, m, h, d), e.g. 15m or 1h, at most 366d',
    })
    .optional(),
  op: comparison,
  value: z.number(),
});

const numericFieldCondition = z.strictObject({
  field: z.enum(NUMERIC_FIELDS),
  op: comparison,
  value: z.number(),
});

const textFieldCondition = z.strictObject({
  field: z.enum(TEXT_FIELDS),
  op: z.enum(['==', '!=']),
  value: z.string().max(64),
});

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({ not: condition }),
    metricCondition,
    numericFieldCondition,
    textFieldCondition,
  ]),
);

const rule = z
  .strictObject({
    name: z.string().regex(RISK_RULE_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ -'),
    on: z.array(z.enum(EVENT_NAMES)).min(1),
    when: condition,
    action: z.enum(ACTIONS),
    severity: z.enum(SEVERITIES),
    shadow: z.boolean().default(false),
    reasonCode: z
      .string()
      .max(RISK_REASON_CODE_MAX_LENGTH)
      .regex(RISK_REASON_CODE_PATTERN, 'must be UPPER_SNAKE_CASE')
      .optional(),
  })
  .transform((parsed): Rule => ({ ...parsed, reasonCode: parsed.reasonCode ?? reasonCodeOf(parsed.name) }));

const ruleSetSchema = z
  .strictObject({ version: z.literal(1), rules: z.array(rule) })
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.rules.forEach((each, index) => {
      if (seen.has(each.name))
        context.addIssue({ code: 'custom', path: ['rules', index, 'name'], message: `repeats ${each.name}` });
      seen.add(each.name);
    });
  });

/** The rule's name as a reason code: upper case, every other character an underscore. */
export function reasonCodeOf(name: string): string {
  const code = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Z]/.test(code)
    ? code.slice(0, RISK_REASON_CODE_MAX_LENGTH)
    : `RULE_${code}`.slice(0, RISK_REASON_CODE_MAX_LENGTH);
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number'
        ? `${text}[${String(part)}]`
        : text === ''
          ? String(part)
          : `${text}.${String(part)}`,
    '',
  );
}

/**
 * The problems of a condition union name the deepest field zod could blame: the branch whose keys
 * the object has (a leaf with `metric` is judged as a metric condition, not as `all`).
 */
function problemsOf(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.filter(
        (branch) => !branch.some((inner) => inner.code === 'unrecognized_keys'),
      );
      const chosen = branches.length === 1 ? branches[0] : undefined;
      if (chosen !== undefined)
        return problemsOf(
          new z.ZodError(chosen.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))),
        );
      return [
        `${pathOf(issue.path)}: must be one of {all}, {any}, {not}, {metric, window?, op, value} or {field, op, value}`,
      ];
    }
    return [`${pathOf(issue.path) || '(file)'}: ${issue.message}`];
  });
}

/** Validates parsed JSON as a rule set; `source` names the file in the error. */
export function parseRuleSet(value: unknown, source: string): RuleSet {
  const parsed = ruleSetSchema.safeParse(value);
  if (!parsed.success) throw new RulesFileError(source, problemsOf(parsed.error));
  return { rules: parsed.data.rules };
}

/** Reads and validates a rules file (JSON). */
export function loadRuleSet(file: string): RuleSet {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RulesFileError(file, [
      `cannot be read (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RulesFileError(file, [
      `is not JSON (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  return parseRuleSet(value, file);
}
