// The statement transactions behind the contract's thin methods: load what the pure rules need,
// let them decide, store the result. A statement's proposal and settlement answer with its public
// status only (the answer is written into the block), or with the full record sealed under the
// caller's transient response key; the full record is read by evaluation (readStatement).
import type { ChaincodeStub } from 'fabric-shim';
import type { Escrow } from '../escrow/escrow';
import {
  NoObligationsError,
  ObligationNettedError,
  StatementExistsError,
  StatementNotFoundError,
  StatementNotSettledError,
  TermsUnavailableError,
} from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { loadEscrow } from '../ledger/escrowStore';
import { toStateJson } from '../ledger/stateSerializer';
import {
  findObligation,
  findPublicStatement,
  findStatement,
  obligationsOfPeriod,
  storeObligation,
  storeStatement,
} from '../ledger/statementStore';
import { termsCollectionFor } from '../privateData/collections';
import { optionalResponseKey, sealSubmitResult } from '../privateData/sealedResult';
import { requireId } from '../validation/fields';
import type { ObligationRecord } from './obligation';
import {
  parseStatementId,
  proposeStatement,
  publicStatementOf,
  settleStatement,
  type StatementRecord,
} from './statement';
import { requireStatementProposer, requireStatementReader, requireStatementSettler } from './statementGuards';

export interface StatementSubmit {
  readonly actor: Actor;
  readonly nowMs: number;
  readonly endorserNowMs: number;
}

function answer(stub: ChaincodeStub, statement: StatementRecord): string {
  const responseKey = optionalResponseKey(stub.getTransient());
  return responseKey === undefined
    ? toStateJson(publicStatementOf(statement))
    : sealSubmitResult(responseKey, stub.getTxID(), toStateJson(statement));
}

/** A peer outside the pair's collection holds none of it: TERMS_UNAVAILABLE, as for an escrow. */
async function onPairPeer<T>(
  subject: string,
  first: string,
  second: string,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Error && /^[A-Z_]+: /.test(error.message)) throw error;
    throw new TermsUnavailableError(subject, termsCollectionFor(first, second));
  }
}

async function loadStatement(stub: ChaincodeStub, statementId: string): Promise<StatementRecord> {
  const { first, second } = parseStatementId(statementId);
  const statement = await onPairPeer(statementId, first, second, () =>
    findStatement(stub, first, second, statementId),
  );
  if (statement !== undefined) return statement;
  if ((await findPublicStatement(stub, statementId)) !== undefined)
    throw new TermsUnavailableError(statementId, termsCollectionFor(first, second));
  throw new StatementNotFoundError(statementId);
}

/** Nets the pair's open obligations of the period the statement id names. */
export async function proposeStatementTransaction(
  stub: ChaincodeStub,
  submit: StatementSubmit,
  statementId: string,
): Promise<string> {
  const { period, first, second } = parseStatementId(statementId);
  requireStatementProposer(first, second, submit.actor);
  if ((await findPublicStatement(stub, statementId)) !== undefined)
    throw new StatementExistsError(statementId);
  const obligations = await onPairPeer(statementId, first, second, () =>
    obligationsOfPeriod(stub, first, second, period),
  );
  const { statement, netted } = proposeStatement({ period, first, second, obligations, ...submit });
  for (const obligation of netted) await storeObligation(stub, obligation);
  await storeStatement(stub, statement);
  return answer(stub, statement);
}

/** The payer's payments identity records the provider transfer that paid the statement's net. */
export async function settleStatementTransaction(
  stub: ChaincodeStub,
  submit: StatementSubmit,
  statementId: string,
  transferRef: string,
): Promise<string> {
  const { first, second } = parseStatementId(statementId);
  // Only a payments identity of the pair reaches the private record; settleStatement checks it pays.
  const side = submit.actor.organization === first ? first : second;
  requireStatementSettler(side, statementId, submit.actor);
  const settled = settleStatement(
    await loadStatement(stub, statementId),
    submit.actor,
    transferRef,
    submit.nowMs,
  );
  await storeStatement(stub, settled);
  return answer(stub, settled);
}

export async function readStatementTransaction(
  stub: ChaincodeStub,
  actor: Actor,
  statementId: string,
): Promise<string> {
  const { first, second } = parseStatementId(statementId);
  requireStatementReader(first, second, actor);
  return toStateJson(await loadStatement(stub, statementId));
}

export async function readObligationTransaction(
  stub: ChaincodeStub,
  actor: Actor,
  escrowId: string,
): Promise<string> {
  const escrow = await loadEscrow(stub, requireId(escrowId, 'escrowId'), actor);
  requireStatementReader(escrow.buyer.marketplace, escrow.seller.marketplace, actor);
  const obligation = await findObligation(stub, escrow);
  if (obligation === undefined)
    throw new NoObligationsError(`escrow ${escrow.escrowId} owes nothing across marketplaces`);
  return toStateJson(obligation);
}

export interface SellerPayoutRoute {
  /** The marketplace whose payments identity records the seller's payout. */
  readonly paidBy: string;
  /** The obligation the buyer's marketplace settles by paying the seller itself, no longer to net. */
  readonly paidDirectly?: ObligationRecord;
}

/**
 * Who pays a seller. Without an obligation (same marketplace, or an escrow ended before obligations
 * existed), and while its obligation is open, the buyer's marketplace pays directly, which takes the
 * obligation out of netting. Once the obligation is in a statement, only the seller's marketplace
 * pays, and only after the statement's transfer is settled: a seller is never paid twice.
 */
export async function sellerPayoutRoute(
  stub: ChaincodeStub,
  escrow: Escrow,
  payee: string,
  actor: Actor,
): Promise<SellerPayoutRoute> {
  const direct = { paidBy: escrow.buyer.marketplace };
  if (payee !== 'seller' || escrow.buyer.marketplace === escrow.seller.marketplace) return direct;
  const obligation = await findObligation(stub, escrow);
  if (obligation === undefined || obligation.status === 'paidDirectly') return direct;
  if (obligation.status === 'open')
    return { ...direct, paidDirectly: { ...obligation, status: 'paidDirectly' } };
  const statementId = obligation.statementId ?? '';
  if (actor.organization === escrow.buyer.marketplace)
    throw new ObligationNettedError(escrow.escrowId, statementId);
  const statement = await loadStatement(stub, statementId);
  if (statement.status !== 'settled') throw new StatementNotSettledError(escrow.escrowId, statementId);
  return { paidBy: escrow.seller.marketplace };
}
