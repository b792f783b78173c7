// A statement: the obligations between two marketplaces over one settlement period, netted by the pure
// netting function into the gross each way, the net and who pays it, with the escrows it covers. It
// is proposed by one of the pair, endorsed by both (state-based endorsement on its keys and on every
// obligation it nets), and settled by the payer's payments identity with ONE provider transfer. Pure:
// the contract loads the obligations and stores what this returns.
import { ROLES, type Role } from '../config/identityConfig';
import {
  AlreadySettledError,
  InvalidInputError,
  NoObligationsError,
  PeriodOpenError,
  StatementOverlapError,
} from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import {
  type JsonObject,
  LIMITS,
  requireArray,
  requireId,
  requireMarketplace,
  requireMinorUnits,
  requireObject,
  requireOneOf,
  requireOrganization,
  requireReference,
  requireText,
  toInstant,
} from '../validation/fields';
import { netObligations, statementIdOf } from './netting';
import { nettingInputOf, type ObligationRecord } from './obligation';
import { requirePeriodId } from './settlementPeriod';
import { requireStatementProposer, requireStatementSettler } from './statementGuards';
import { storedInstant, storedRecord } from './storedRecord';

export const STATEMENT_STATUSES = ['proposed', 'settled'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export interface StatementActor {
  readonly organization: string;
  readonly role: Role;
  readonly userId: string;
}

export interface StatementSettlement {
  /** The provider's transfer id; null for a balanced statement (nothing to transfer). */
  readonly transferRef: string | null;
  readonly settledAt: string;
  readonly settledBy: StatementActor;
}

export interface StatementRecord {
  readonly docType: 'statement';
  /** `<period>:<first>:<second>`. */
  readonly statementId: string;
  readonly period: string;
  readonly periodEndsAt: string;
  /** The pair in code-point order. */
  readonly first: string;
  readonly second: string;
  readonly currency: string;
  readonly grossFirstToSecond: string;
  readonly grossSecondToFirst: string;
  readonly net: string;
  /** Who pays the net to whom; both null when the pair owes each other the same. */
  readonly payer: string | null;
  readonly payee: string | null;
  readonly escrowIds: readonly string[];
  readonly status: StatementStatus;
  readonly proposedAt: string;
  readonly proposedBy: StatementActor;
  readonly settlement: StatementSettlement | null;
}

/** What every channel member's peer holds of a statement: that it exists and its status, no amounts. */
export interface PublicStatement {
  readonly docType: 'publicStatement';
  readonly statementId: string;
  readonly period: string;
  readonly first: string;
  readonly second: string;
  readonly status: StatementStatus;
  readonly proposedAt: string;
  readonly settledAt: string | null;
}

/** The pair in the order statements name it. */
export function statementPair(one: string, other: string): [string, string] {
  return one < other ? [one, other] : [other, one];
}

export function statementIdFor(period: string, one: string, other: string): string {
  return statementIdOf(period, ...statementPair(one, other));
}

function actorOf(actor: Actor): StatementActor {
  return { organization: actor.organization, role: actor.role, userId: actor.userId };
}

export interface StatementProposal {
  readonly period: string;
  readonly first: string;
  readonly second: string;
  /** Every obligation of the pair recorded in the period, whatever its status. */
  readonly obligations: readonly ObligationRecord[];
  readonly actor: Actor;
  readonly nowMs: number;
  readonly endorserNowMs: number;
}

export interface ProposedStatement {
  readonly statement: StatementRecord;
  /** The open obligations it nets, now `netted` into it. */
  readonly netted: readonly ObligationRecord[];
}

/**
 * Nets the pair's open obligations of a period that has ended on both clocks (the transaction's and
 * the endorser's). A balanced statement moves no money and is settled at once.
 */
export function proposeStatement(proposal: StatementProposal): ProposedStatement {
  const { period, first, second, actor } = proposal;
  requireStatementProposer(first, second, actor);
  const statementId = statementIdOf(period, first, second);
  const open = proposal.obligations.filter((obligation) => obligation.status === 'open');
  const netted = proposal.obligations.find((obligation) => obligation.status === 'netted');
  if (netted !== undefined) throw new StatementOverlapError(netted.escrowId, netted.statementId ?? '?');
  if (open.length === 0) throw new NoObligationsError(`no open obligation for statement ${statementId}`);
  const endsAt =
    open
      .map((obligation) => obligation.periodEndsAt)
      .sort()
      .at(-1) ?? '';
  const at = toInstant(proposal.nowMs);
  if (Math.min(proposal.nowMs, proposal.endorserNowMs) < Date.parse(endsAt))
    throw new PeriodOpenError(period, endsAt, at);
  const [netting] = netObligations(open.map(nettingInputOf));
  if (netting === undefined) throw new NoObligationsError(`nothing to net for statement ${statementId}`);
  const direction = netting.direction === 'balanced' ? null : netting.direction;
  const statement: StatementRecord = {
    docType: 'statement',
    statementId,
    period,
    periodEndsAt: endsAt,
    first,
    second,
    currency: netting.currency,
    grossFirstToSecond: netting.grossFirstToSecond.toString(),
    grossSecondToFirst: netting.grossSecondToFirst.toString(),
    net: netting.net.toString(),
    payer: direction?.from ?? null,
    payee: direction?.to ?? null,
    escrowIds: netting.escrowIds,
    status: direction === null ? 'settled' : 'proposed',
    proposedAt: at,
    proposedBy: actorOf(actor),
    settlement: direction === null ? { transferRef: null, settledAt: at, settledBy: actorOf(actor) } : null,
  };
  return {
    statement,
    netted: open.map((obligation) => ({ ...obligation, status: 'netted', statementId })),
  };
}

/** The payer's payments identity records the one provider transfer that paid the net. */
export function settleStatement(
  statement: StatementRecord,
  actor: Actor,
  transferRef: string,
  nowMs: number,
): StatementRecord {
  if (statement.status === 'settled' || statement.payer === null)
    throw new AlreadySettledError(statement.statementId, statement.payee ?? 'nobody', 'statement');
  requireStatementSettler(statement.payer, statement.statementId, actor);
  const settlement = {
    transferRef: requireReference(transferRef, 'transferRef'),
    settledAt: toInstant(nowMs),
    settledBy: actorOf(actor),
  };
  return { ...statement, status: 'settled', settlement };
}

export function publicStatementOf(statement: StatementRecord): PublicStatement {
  return {
    docType: 'publicStatement',
    statementId: statement.statementId,
    period: statement.period,
    first: statement.first,
    second: statement.second,
    status: statement.status,
    proposedAt: statement.proposedAt,
    settledAt: statement.settlement?.settledAt ?? null,
  };
}

function readActor(value: unknown, field: string): StatementActor {
  const record = requireObject(value, field);
  return {
    organization: requireOrganization(record.organization, `${field}.organization`),
    role: requireOneOf(record.role, `${field}.role`, ROLES),
    userId: requireId(record.userId, `${field}.userId`),
  };
}

function readSettlement(value: unknown): StatementSettlement | null {
  if (value === null) return null;
  const record = requireObject(value, 'settlement');
  return {
    transferRef: record.transferRef === null ? null : requireReference(record.transferRef, 'transferRef'),
    settledAt: storedInstant(record.settledAt, 'settlement.settledAt'),
    settledBy: readActor(record.settledBy, 'settlement.settledBy'),
  };
}

const nullableMarketplace = (value: unknown, field: string): string | null =>
  value === null ? null : requireMarketplace(value, field);

function readStatement(record: JsonObject): StatementRecord {
  return {
    docType: 'statement',
    statementId: requireText(record.statementId, 'statementId'),
    period: requirePeriodId(String(record.period), 'period'),
    periodEndsAt: storedInstant(record.periodEndsAt, 'periodEndsAt'),
    first: requireMarketplace(record.first, 'first'),
    second: requireMarketplace(record.second, 'second'),
    currency: requireText(record.currency, 'currency', 3),
    grossFirstToSecond: requireMinorUnits(record.grossFirstToSecond, 'grossFirstToSecond').toString(),
    grossSecondToFirst: requireMinorUnits(record.grossSecondToFirst, 'grossSecondToFirst').toString(),
    net: requireMinorUnits(record.net, 'net').toString(),
    payer: nullableMarketplace(record.payer, 'payer'),
    payee: nullableMarketplace(record.payee, 'payee'),
    escrowIds: requireArray(record.escrowIds, 'escrowIds', Number.MAX_SAFE_INTEGER).map((id, index) =>
      requireId(id, `escrowIds[${index}]`),
    ),
    status: requireOneOf(record.status, 'status', STATEMENT_STATUSES),
    proposedAt: storedInstant(record.proposedAt, 'proposedAt'),
    proposedBy: readActor(record.proposedBy, 'proposedBy'),
    settlement: readSettlement(record.settlement),
  };
}

/** Reads a stored statement (or readStatement's answer); anything malformed is CORRUPT_STATE. */
export function statementFromBytes(bytes: Uint8Array | string): StatementRecord {
  return storedRecord(bytes, 'statement', readStatement);
}

function readPublicStatement(record: JsonObject): PublicStatement {
  return {
    docType: 'publicStatement',
    statementId: requireText(record.statementId, 'statementId'),
    period: requirePeriodId(String(record.period), 'period'),
    first: requireMarketplace(record.first, 'first'),
    second: requireMarketplace(record.second, 'second'),
    status: requireOneOf(record.status, 'status', STATEMENT_STATUSES),
    proposedAt: storedInstant(record.proposedAt, 'proposedAt'),
    settledAt: record.settledAt === null ? null : storedInstant(record.settledAt, 'settledAt'),
  };
}

export function publicStatementFromBytes(bytes: Uint8Array | string): PublicStatement {
  return storedRecord(bytes, 'publicStatement', readPublicStatement);
}

/** A statement id from a transaction argument: `<period>:<first>:<second>`, the pair in order. */
export function parseStatementId(value: string): { period: string; first: string; second: string } {
  const text = requireText(value, 'statementId', LIMITS.referenceLength);
  const [period = '', first = '', second = '', ...rest] = text.split(':');
  const parsed = {
    period: requirePeriodId(period, 'statementId period'),
    first: requireMarketplace(first, 'statementId first'),
    second: requireMarketplace(second, 'statementId second'),
  };
  if (rest.length > 0 || !(parsed.first < parsed.second))
    throw new InvalidInputError('statementId must be <period>:<first>:<second>, the pair in order');
  return parsed;
}
