// Every refusal the chaincode can give, each with a stable code. The message starts with
// "<CODE>: " because Fabric hands clients only the message text.

export const ERROR_CODES = [
  'ESCROW_NOT_FOUND',
  'ESCROW_EXISTS',
  'INVALID_STATE',
  'FORBIDDEN_ACTOR',
  'INVALID_IDENTITY',
  'DEADLINE_PASSED',
  'DEADLINE_NOT_REACHED',
  'INVALID_INPUT',
  'INPUT_TOO_LARGE',
  'INVALID_TEXT',
  'INVARIANT_VIOLATION',
  'CLOCK_SKEW',
  'ALREADY_SETTLED',
  'ALREADY_REVIEWED',
  'NOT_ACCEPTED',
  'PRIVATE_DETAILS_NOT_FOUND',
  'RESPONSE_KEY_REQUIRED',
  'TERMS_UNAVAILABLE',
  'CORRUPT_STATE',
  'MARKETPLACES_NOT_REGISTERED',
  'MARKETPLACE_EXISTS',
  'MARKETPLACE_NOT_FOUND',
  'MARKETPLACE_SUSPENDED',
  'COLLECTION_NOT_DEFINED',
  'NETTING_OBLIGATION_INVALID',
  'NETTING_DUPLICATE_ESCROW',
  'NETTING_MIXED_CURRENCIES',
  'NO_OBLIGATIONS',
  'PERIOD_OPEN',
  'STATEMENT_EXISTS',
  'STATEMENT_NOT_FOUND',
  'STATEMENT_OVERLAP',
  'STATEMENT_NOT_SETTLED',
  'OBLIGATION_NETTED',
  'DEADLINE_NOT_EXTENDED',
  'OFFER_NOT_FOUND',
  'OFFER_LIMIT_REACHED',
  'ITEM_NOT_FOUND',
  'RISK_FLAG_ALREADY_RAISED',
  'RISK_FLAG_NOT_FOUND',
  'RISK_FLAG_LIMIT_REACHED',
  'ESCROW_HELD',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class EscrowError extends Error {
  abstract readonly code: ErrorCode;

  protected constructor(code: ErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = new.target.name;
  }
}

export class EscrowNotFoundError extends EscrowError {
  readonly code = 'ESCROW_NOT_FOUND';
  constructor(escrowId: string) {
    super('ESCROW_NOT_FOUND', `escrow ${escrowId} does not exist`);
  }
}

export class EscrowExistsError extends EscrowError {
  readonly code = 'ESCROW_EXISTS';
  constructor(escrowId: string) {
    super('ESCROW_EXISTS', `escrow ${escrowId} already exists`);
  }
}

export class InvalidStateError extends EscrowError {
  readonly code = 'INVALID_STATE';
  constructor(action: string, state: string) {
    super('INVALID_STATE', `${action} is not allowed in state ${state}`);
  }
}

export class ForbiddenActorError extends EscrowError {
  readonly code = 'FORBIDDEN_ACTOR';
  constructor(detail: string) {
    super('FORBIDDEN_ACTOR', detail);
  }
}

export class InvalidIdentityError extends EscrowError {
  readonly code = 'INVALID_IDENTITY';
  constructor(detail: string) {
    super('INVALID_IDENTITY', detail);
  }
}

export class DeadlinePassedError extends EscrowError {
  readonly code = 'DEADLINE_PASSED';
  constructor(deadline: string, at: string) {
    super('DEADLINE_PASSED', `${deadline} has passed (at ${at})`);
  }
}

export class DeadlineNotReachedError extends EscrowError {
  readonly code = 'DEADLINE_NOT_REACHED';
  constructor(deadline: string, at: string) {
    super('DEADLINE_NOT_REACHED', `${deadline} has not passed yet (at ${at})`);
  }
}

export class InvalidInputError extends EscrowError {
  readonly code = 'INVALID_INPUT';
  constructor(detail: string) {
    super('INVALID_INPUT', detail);
  }
}

export class InputTooLargeError extends EscrowError {
  readonly code = 'INPUT_TOO_LARGE';
  constructor(field: string, limit: number) {
    super('INPUT_TOO_LARGE', `${field} exceeds ${limit}`);
  }
}

/** A text holds a character TEXT_RULES forbid (a control character or an unpaired surrogate). */
export class InvalidTextError extends EscrowError {
  readonly code = 'INVALID_TEXT';
  constructor(detail: string) {
    super('INVALID_TEXT', detail);
  }
}

export class InvariantViolationError extends EscrowError {
  readonly code = 'INVARIANT_VIOLATION';
  constructor(escrowId: string, detail: string) {
    super('INVARIANT_VIOLATION', `escrow ${escrowId}: ${detail}`);
  }
}

export class ClockSkewError extends EscrowError {
  readonly code = 'CLOCK_SKEW';
  constructor(skewSeconds: number, maxSkewSeconds: number) {
    super(
      'CLOCK_SKEW',
      `transaction timestamp is ${skewSeconds}s from the endorser clock (max ${maxSkewSeconds}s)`,
    );
  }
}

export class AlreadySettledError extends EscrowError {
  readonly code = 'ALREADY_SETTLED';
  constructor(escrowId: string, payee: string, subject: 'escrow' | 'statement' = 'escrow') {
    super('ALREADY_SETTLED', `settlement to ${payee} of ${subject} ${escrowId} is already recorded`);
  }
}

export class AlreadyReviewedError extends EscrowError {
  readonly code = 'ALREADY_REVIEWED';
  constructor(escrowId: string, reviewer: string) {
    super('ALREADY_REVIEWED', `the ${reviewer} of escrow ${escrowId} has already posted a review`);
  }
}

/** The escrow's terms were never accepted by the counterparty: it cannot be funded or reviewed. */
export class NotAcceptedError extends EscrowError {
  readonly code = 'NOT_ACCEPTED';
  constructor(action: string, escrowId: string) {
    super('NOT_ACCEPTED', `${action}: the counterparty has not accepted escrow ${escrowId}`);
  }
}

export class PrivateDetailsNotFoundError extends EscrowError {
  readonly code = 'PRIVATE_DETAILS_NOT_FOUND';
  constructor(escrowId: string) {
    super('PRIVATE_DETAILS_NOT_FOUND', `escrow ${escrowId} has no private details on this peer`);
  }
}

/** A private read answers only sealed to a key the caller sent as transient data (see sealedResult.ts). */
export class ResponseKeyRequiredError extends EscrowError {
  readonly code = 'RESPONSE_KEY_REQUIRED';
  constructor(detail: string) {
    super('RESPONSE_KEY_REQUIRED', detail);
  }
}

/** The endorsing peer does not hold the escrow's terms: it is not a member of their collection. */
export class TermsUnavailableError extends EscrowError {
  readonly code = 'TERMS_UNAVAILABLE';
  constructor(escrowId: string, collection: string) {
    super('TERMS_UNAVAILABLE', `the terms of escrow ${escrowId} are not on this peer (${collection})`);
  }
}

export class CorruptStateError extends EscrowError {
  readonly code = 'CORRUPT_STATE';
  constructor(detail: string) {
    super('CORRUPT_STATE', detail);
  }
}

/** A marketplace action before governance registered the founding marketplaces. */
export class MarketplacesNotRegisteredError extends EscrowError {
  readonly code = 'MARKETPLACES_NOT_REGISTERED';
  constructor(detail: string) {
    super('MARKETPLACES_NOT_REGISTERED', detail);
  }
}

export class MarketplaceExistsError extends EscrowError {
  readonly code = 'MARKETPLACE_EXISTS';
  constructor(detail: string) {
    super('MARKETPLACE_EXISTS', detail);
  }
}

export class MarketplaceNotFoundError extends EscrowError {
  readonly code = 'MARKETPLACE_NOT_FOUND';
  constructor(name: string) {
    super('MARKETPLACE_NOT_FOUND', `marketplace ${name} is not registered`);
  }
}

/** Governance suspended the marketplace: its identities may not act, nor may a new trade involve it. */
export class MarketplaceSuspendedError extends EscrowError {
  readonly code = 'MARKETPLACE_SUSPENDED';
  constructor(name: string, detail = 'is suspended') {
    super('MARKETPLACE_SUSPENDED', `marketplace ${name} ${detail}`);
  }
}

/** The chaincode definition carries no private data collection for this trade's marketplaces yet. */
export class CollectionNotDefinedError extends EscrowError {
  readonly code = 'COLLECTION_NOT_DEFINED';
  constructor(collection: string) {
    super('COLLECTION_NOT_DEFINED', `collection ${collection} is not in the chaincode definition yet`);
  }
}

/** Nothing owed across marketplaces: no open obligation for a statement, or none of an escrow. */
export class NoObligationsError extends EscrowError {
  readonly code = 'NO_OBLIGATIONS';
  constructor(detail: string) {
    super('NO_OBLIGATIONS', detail);
  }
}

/** The settlement period has not ended on both clocks: obligations may still join it. */
export class PeriodOpenError extends EscrowError {
  readonly code = 'PERIOD_OPEN';
  constructor(period: string, endsAt: string, at: string) {
    super('PERIOD_OPEN', `settlement period ${period} ends at ${endsAt} (at ${at})`);
  }
}

export class StatementExistsError extends EscrowError {
  readonly code = 'STATEMENT_EXISTS';
  constructor(statementId: string) {
    super('STATEMENT_EXISTS', `statement ${statementId} already exists`);
  }
}

export class StatementNotFoundError extends EscrowError {
  readonly code = 'STATEMENT_NOT_FOUND';
  constructor(statementId: string) {
    super('STATEMENT_NOT_FOUND', `statement ${statementId} does not exist`);
  }
}

/** An obligation the statement would cover is already in another statement. */
export class StatementOverlapError extends EscrowError {
  readonly code = 'STATEMENT_OVERLAP';
  constructor(escrowId: string, statementId: string) {
    super('STATEMENT_OVERLAP', `the obligation of escrow ${escrowId} is already in statement ${statementId}`);
  }
}

/** The seller of a netted escrow is paid by its marketplace only once the statement's transfer is settled. */
export class StatementNotSettledError extends EscrowError {
  readonly code = 'STATEMENT_NOT_SETTLED';
  constructor(escrowId: string, statementId: string) {
    super('STATEMENT_NOT_SETTLED', `escrow ${escrowId} is in statement ${statementId}, not settled yet`);
  }
}

/** The buyer's marketplace may no longer pay a seller directly once the obligation is in a statement. */
export class ObligationNettedError extends EscrowError {
  readonly code = 'OBLIGATION_NETTED';
  constructor(escrowId: string, statementId: string) {
    super('OBLIGATION_NETTED', `the seller of escrow ${escrowId} is paid through statement ${statementId}`);
  }
}

/** A deadline may only move later: an extension to the same or an earlier instant is refused. */
export class DeadlineNotExtendedError extends EscrowError {
  readonly code = 'DEADLINE_NOT_EXTENDED';
  constructor(deadline: string, current: string) {
    super('DEADLINE_NOT_EXTENDED', `${deadline} may only move later than ${current}`);
  }
}

export class OfferNotFoundError extends EscrowError {
  readonly code = 'OFFER_NOT_FOUND';
  constructor(escrowId: string) {
    super('OFFER_NOT_FOUND', `escrow ${escrowId} has no open settlement offer`);
  }
}

/** Offers are kept with the escrow for the arbiter, so their number is bounded. */
export class OfferLimitReachedError extends EscrowError {
  readonly code = 'OFFER_LIMIT_REACHED';
  constructor(escrowId: string) {
    super('OFFER_LIMIT_REACHED', `escrow ${escrowId} holds the most settlement offers it may`);
  }
}

export class ItemNotFoundError extends EscrowError {
  readonly code = 'ITEM_NOT_FOUND';
  constructor(escrowId: string, item: string) {
    super('ITEM_NOT_FOUND', `escrow ${escrowId} has no item ${item}`);
  }
}

/** The rule is already active on the escrow: the risk service reads this as "already done". */
export class RiskFlagAlreadyRaisedError extends EscrowError {
  readonly code = 'RISK_FLAG_ALREADY_RAISED';
  constructor(escrowId: string, rule: string) {
    super('RISK_FLAG_ALREADY_RAISED', `rule ${rule} is already active on escrow ${escrowId}`);
  }
}

export class RiskFlagNotFoundError extends EscrowError {
  readonly code = 'RISK_FLAG_NOT_FOUND';
  constructor(escrowId: string, rule: string) {
    super('RISK_FLAG_NOT_FOUND', `escrow ${escrowId} has no active flag of rule ${rule}`);
  }
}

/** Flags stay with the escrow once cleared, so their number is bounded. */
export class RiskFlagLimitReachedError extends EscrowError {
  readonly code = 'RISK_FLAG_LIMIT_REACHED';
  constructor(escrowId: string) {
    super('RISK_FLAG_LIMIT_REACHED', `escrow ${escrowId} holds the most risk flags it may`);
  }
}

/** An active hold flag stops every deadline-driven release to the seller until it is cleared. */
export class EscrowHeldError extends EscrowError {
  readonly code = 'ESCROW_HELD';
  constructor(escrowId: string, action: string, rules: readonly string[]) {
    super('ESCROW_HELD', `${action}: escrow ${escrowId} is held by ${rules.join(', ')}`);
  }
}
