// The alerting rules, written as data (deploy/alerts/security.rules.json): each counts the security
// events of one type per key (an address, a client, a source service, an escrow) in a sliding window
// and fires once `threshold` of them fall within `windowSeconds`. A rule fires at most once per
// (rule, key, window): after firing, the same key stays quiet until the window that fired has passed.
import * as crypto from 'node:crypto';
import {
  securityEventTypes,
  securitySeverities,
  type SecurityEvent,
  type SecurityEventType,
  type SecuritySeverity,
} from '@p2p-escrow/fabric-client';
import { z } from 'zod';

/** What a rule counts by: a field every event of its type carries. */
export const alertKeyFields = ['ip', 'clientId', 'subject', 'source', 'escrowId'] as const;
export type AlertKeyField = (typeof alertKeyFields)[number];

const ruleSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
    description: z.string().min(1),
    type: z.enum(securityEventTypes as [SecurityEventType, ...SecurityEventType[]]),
    keyBy: z.enum(alertKeyFields),
    threshold: z.number().int().positive(),
    windowSeconds: z.number().int().positive(),
    severity: z.enum(securitySeverities),
    /** Only events whose `detail.amount` (minor units) is at least this count. */
    minAmount: z
      .string()
      .regex(/^\d{1,30}$/)
      .optional(),
  })
  .strict();
export type AlertRule = z.infer<typeof ruleSchema>;

const rulesFileSchema = z
  .object({ rules: z.array(ruleSchema).min(1) })
  .strict()
  .refine(
    ({ rules }) => new Set(rules.map((rule) => rule.name)).size === rules.length,
    'rule names must be unique',
  );

export class AlertRulesInvalidError extends Error {
  readonly code = 'ALERT_RULES_INVALID';
  constructor(detail: string) {
    super(`alert rules: ${detail}`);
    this.name = 'AlertRulesInvalidError';
  }
}

/** Reads a rules document (the parsed JSON of a rules file); throws AlertRulesInvalidError. */
export function readAlertRules(document: unknown): readonly AlertRule[] {
  const result = rulesFileSchema.safeParse(document);
  if (!result.success)
    throw new AlertRulesInvalidError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  return result.data.rules;
}

/** What the receiver gets: the rule, the key, how many events in which window, and their ids. */
export interface SecurityAlert {
  /** Stable for (rule, key, window start): a retried or repeated alert has the same id. */
  readonly id: string;
  readonly rule: string;
  readonly description: string;
  readonly severity: SecuritySeverity;
  readonly eventType: SecurityEventType;
  readonly keyBy: AlertKeyField;
  readonly key: string;
  readonly count: number;
  readonly windowSeconds: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly eventIds: readonly string[];
}

/** The value of `field` in `event`, if it has one. */
export function alertKeyOf(event: SecurityEvent, field: AlertKeyField): string | undefined {
  switch (field) {
    case 'ip':
      return event.ip;
    case 'clientId':
      return event.actor.clientId;
    case 'subject':
      return event.actor.subject;
    case 'source':
      return event.source;
    case 'escrowId':
      return 'escrowId' in event.detail ? event.detail.escrowId : undefined;
  }
}

function matches(rule: AlertRule, event: SecurityEvent): boolean {
  if (event.type !== rule.type) return false;
  if (rule.minAmount === undefined) return true;
  const amount = 'amount' in event.detail ? event.detail.amount : undefined;
  return amount !== undefined && BigInt(amount) >= BigInt(rule.minAmount);
}

interface Seen {
  readonly at: number;
  readonly id: string;
}

interface KeyState {
  seen: Seen[];
  /** Until when (ms) this key stays quiet after firing. */
  quietUntil: number;
}

export function alertId(rule: string, key: string, windowStartMs: number): string {
  return crypto.createHash('sha256').update(`${rule}\n${key}\n${windowStartMs}`).digest('hex').slice(0, 32);
}

/**
 * The rules over a stream of events, in memory: feed each event to `observe`, which returns the
 * alerts it completes. Memory is bounded by `maxKeys` per rule (the least recently seen go first).
 */
export class AlertRuleEngine {
  private readonly state = new Map<string, Map<string, KeyState>>();

  constructor(
    private readonly rules: readonly AlertRule[],
    private readonly maxKeys = 100_000,
  ) {
    for (const rule of rules) this.state.set(rule.name, new Map());
  }

  observe(event: SecurityEvent): SecurityAlert[] {
    const alerts: SecurityAlert[] = [];
    const at = Date.parse(event.time);
    for (const rule of this.rules) {
      if (!matches(rule, event)) continue;
      const key = alertKeyOf(event, rule.keyBy);
      if (key === undefined) continue;
      const alert = this.count(rule, key, at, event.id);
      if (alert !== undefined) alerts.push(alert);
    }
    return alerts;
  }

  private count(rule: AlertRule, key: string, at: number, id: string): SecurityAlert | undefined {
    const keys = this.state.get(rule.name) ?? new Map<string, KeyState>();
    const windowMs = rule.windowSeconds * 1000;
    const state = keys.get(key) ?? { seen: [], quietUntil: Number.NEGATIVE_INFINITY };
    keys.delete(key); // re-inserted below, so the Map's order is least recently seen first
    state.seen = [...state.seen.filter((seen) => seen.at > at - windowMs), { at, id }].sort(
      (a, b) => a.at - b.at,
    );
    keys.set(key, state);
    this.evict(keys);
    if (at < state.quietUntil || state.seen.length < rule.threshold) return undefined;
    const inWindow = state.seen;
    const first = inWindow[0]?.at ?? at;
    // Quiet for a whole window from the firing event: alerts of one key are at least a window apart.
    state.quietUntil = at + windowMs;
    state.seen = [];
    return {
      id: alertId(rule.name, key, first),
      rule: rule.name,
      description: rule.description,
      severity: rule.severity,
      eventType: rule.type,
      keyBy: rule.keyBy,
      key,
      count: inWindow.length,
      windowSeconds: rule.windowSeconds,
      firstSeen: new Date(first).toISOString(),
      lastSeen: new Date(inWindow[inWindow.length - 1]?.at ?? at).toISOString(),
      eventIds: inWindow.map((seen) => seen.id),
    };
  }

  private evict(keys: Map<string, KeyState>): void {
    while (keys.size > this.maxKeys) {
      const oldest = keys.keys().next();
      if (oldest.done === true) return;
      keys.delete(oldest.value);
    }
  }
}
