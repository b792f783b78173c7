// Risk flags: Oversight's risk service marks an escrow a rule fired on; a `hold` flag stops money
// leaving to the seller until it is cleared. A hold never takes the buyer's protection away: the
// parties' own moves (ship, dispute, refund to the buyer) stay allowed, and only the deadline-driven
// releases to the seller (the keeper's auto-release of the escrow or of an item, a return's
// missed ship-back) are refused with ESCROW_HELD. The payout the settlement worker would make waits
// for the clear. A flag is allowed in every state, terminal ones included: the payout may still be
// pending, and the flag changes nothing else.
import {
  EscrowHeldError,
  InvalidInputError,
  RiskFlagAlreadyRaisedError,
  RiskFlagLimitReachedError,
  RiskFlagNotFoundError,
} from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { LIMITS, parseJsonObject, requireOneOf, requireText } from '../validation/fields';
import type { Escrow } from './escrow';

export const RISK_SEVERITIES = ['low', 'medium', 'high'] as const;
export type RiskSeverity = (typeof RISK_SEVERITIES)[number];

/** What a flag does: the contract knows `hold` alone (allow and review never reach the ledger). */
export const RISK_ACTIONS = ['hold'] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];

/** A rule's name as the risk service's rules file writes it. */
export const RISK_RULE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** A stable reason code, UPPER_SNAKE. */
export const RISK_REASON_CODE_PATTERN = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
export const RISK_REASON_CODE_MAX_LENGTH = 64;

/**
 * Flags stay on the record once cleared (who raised and cleared what is part of the trade's story),
 * so their number is bounded like the offers.
 */
export const MAX_RISK_FLAGS = 32;

/** The flag as raiseRiskFlag receives it (its `flagJson`). */
export interface RiskFlagRequest {
  readonly rule: string;
  readonly reasonCode: string;
  readonly severity: RiskSeverity;
  readonly action: RiskAction;
}

export interface RiskFlag extends RiskFlagRequest {
  readonly raisedAt: string;
  readonly raisedBy: Actor;
  /** Null while the flag is active. */
  readonly clearedAt: string | null;
  readonly clearedBy: Actor | null;
  readonly clearReason: string | null;
}

export function requireRiskRule(value: unknown, field: string): string {
  if (typeof value !== 'string' || !RISK_RULE_PATTERN.test(value))
    throw new InvalidInputError(`${field} must be 1-64 characters of [A-Za-z0-9._-]`);
  return value;
}

export function requireRiskReasonCode(value: unknown, field: string): string {
  if (
    typeof value !== 'string' ||
    value.length > RISK_REASON_CODE_MAX_LENGTH ||
    !RISK_REASON_CODE_PATTERN.test(value)
  )
    throw new InvalidInputError(`${field} must be UPPER_SNAKE of at most ${RISK_REASON_CODE_MAX_LENGTH}`);
  return value;
}

/** Reads the fields of a flag request, from flagJson or a stored flag. */
export function readRiskFlagRequest(
  record: Readonly<Record<string, unknown>>,
  field: string,
): RiskFlagRequest {
  return {
    rule: requireRiskRule(record.rule, `${field}.rule`),
    reasonCode: requireRiskReasonCode(record.reasonCode, `${field}.reasonCode`),
    severity: requireOneOf(record.severity, `${field}.severity`, RISK_SEVERITIES),
    action: requireOneOf(record.action, `${field}.action`, RISK_ACTIONS),
  };
}

export function parseRiskFlagRequest(flagJson: unknown): RiskFlagRequest {
  if (typeof flagJson !== 'string') throw new InvalidInputError('flagJson must be a JSON object');
  const record = parseJsonObject(flagJson, 'flagJson', LIMITS.requestBytes);
  const known = new Set(['rule', 'reasonCode', 'severity', 'action']);
  const unknown = Object.keys(record).find((key) => !known.has(key));
  if (unknown !== undefined) throw new InvalidInputError(`flagJson.${unknown} is not a flag field`);
  return readRiskFlagRequest(record, 'flagJson');
}

/** The actions that hold an escrow (every one today; a later `review` flag would not). */
const HOLDING_ACTIONS: readonly RiskAction[] = ['hold'];

export function activeRiskFlags(escrow: Escrow): readonly RiskFlag[] {
  return escrow.riskFlags.filter((flag) => flag.clearedAt === null);
}

/** Held: an active `hold` flag is on the escrow. */
export function isHeld(escrow: Escrow): boolean {
  return activeRiskFlags(escrow).some((flag) => HOLDING_ACTIONS.includes(flag.action));
}

/** Every deadline-driven release to the seller calls this first. */
export function requireNotHeld(escrow: Escrow, action: string): void {
  if (!isHeld(escrow)) return;
  const rules = activeRiskFlags(escrow)
    .filter((flag) => HOLDING_ACTIONS.includes(flag.action))
    .map((flag) => flag.rule);
  throw new EscrowHeldError(escrow.escrowId, action, rules);
}

/** The flags after raising `request`: refused when the rule is already active on the escrow. */
export function raisedFlags(escrow: Escrow, request: RiskFlagRequest, actor: Actor, at: string): RiskFlag[] {
  if (activeRiskFlags(escrow).some((flag) => flag.rule === request.rule))
    throw new RiskFlagAlreadyRaisedError(escrow.escrowId, request.rule);
  if (escrow.riskFlags.length >= MAX_RISK_FLAGS) throw new RiskFlagLimitReachedError(escrow.escrowId);
  const flag: RiskFlag = {
    ...request,
    raisedAt: at,
    raisedBy: actor,
    clearedAt: null,
    clearedBy: null,
    clearReason: null,
  };
  return [...escrow.riskFlags, flag];
}

/** The flags after clearing the active flag of `rule`, with the clearer's reason. */
export function clearedFlags(
  escrow: Escrow,
  rule: unknown,
  reason: unknown,
  actor: Actor,
  at: string,
): { readonly flags: RiskFlag[]; readonly flag: RiskFlag } {
  const name = requireRiskRule(rule, 'rule');
  const clearReason = requireText(reason, 'reason');
  const index = escrow.riskFlags.findIndex((flag) => flag.rule === name && flag.clearedAt === null);
  const active = escrow.riskFlags[index];
  if (active === undefined) throw new RiskFlagNotFoundError(escrow.escrowId, name);
  const flag: RiskFlag = { ...active, clearedAt: at, clearedBy: actor, clearReason };
  return { flags: escrow.riskFlags.map((entry, position) => (position === index ? flag : entry)), flag };
}
