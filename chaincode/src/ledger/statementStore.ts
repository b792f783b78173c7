// Obligations and statements on the ledger. Both live in the pair's terms collection (its two
// marketplaces and Oversight), each key under the pair's policy (AND of both marketplaces); a
// statement's status (no amounts) is also public state under the same policy.
import type { ChaincodeStub } from 'fabric-shim';
import type { Escrow } from '../escrow/escrow';
import { CorruptStateError } from '../errors/escrowErrors';
import { termsCollectionFor } from '../privateData/collections';
import { obligationFromBytes, obligationOf, type ObligationRecord } from '../statements/obligation';
import {
  nextSettlementPeriod,
  type SettlementPeriod,
  settlementPeriodAt,
} from '../statements/settlementPeriod';
import {
  publicStatementFromBytes,
  publicStatementOf,
  type PublicStatement,
  statementFromBytes,
  statementIdFor,
  statementPair,
  type StatementRecord,
} from '../statements/statement';
import { loadChannelSettings } from './channelSettingsStore';
import { encodePolicy, statementPolicy } from './endorsementPolicy';
import { INDEX_VALUE, KEY_TYPES, obligationKey, obligationPeriodKey, statementKey } from './keys';
import { toStateBytes } from './stateSerializer';

/**
 * How many periods an obligation may move forward past statements already proposed for them (see
 * obligationPeriod); with the skew check bounding how late a transaction is stamped, one or two do.
 */
const MAX_PERIOD_STEPS = 1_000;

function pairPolicy(one: string, other: string): Uint8Array {
  return encodePolicy(statementPolicy(one, other));
}

export async function findPublicStatement(
  stub: ChaincodeStub,
  statementId: string,
): Promise<PublicStatement | undefined> {
  const bytes = await stub.getState(statementKey(stub, statementId));
  return bytes.length === 0 ? undefined : publicStatementFromBytes(bytes);
}

/**
 * The period of a new obligation: its transaction's, or, if the pair's statement of that period was
 * already proposed (a transaction stamped just before the period ended and committed after the
 * statement), the first later period without one. Reading the statement's public key puts it in the
 * read set, so a statement committed meanwhile fails this transaction's validation (MVCC) and the
 * retry lands in the next period: no obligation is ever left outside every statement.
 */
async function obligationPeriod(
  stub: ChaincodeStub,
  escrow: Escrow,
  atMs: number,
): Promise<SettlementPeriod> {
  const { settlementPeriodSeconds } = await loadChannelSettings(stub);
  let period = settlementPeriodAt(atMs, settlementPeriodSeconds);
  for (let step = 0; step < MAX_PERIOD_STEPS; step += 1) {
    const id = statementIdFor(period.period, escrow.buyer.marketplace, escrow.seller.marketplace);
    if ((await findPublicStatement(stub, id)) === undefined) return period;
    period = nextSettlementPeriod(period, settlementPeriodSeconds);
  }
  throw new CorruptStateError(`no settlement period without a statement within ${MAX_PERIOD_STEPS} periods`);
}

export async function storeObligation(stub: ChaincodeStub, obligation: ObligationRecord): Promise<void> {
  const collection = termsCollectionFor(obligation.payer, obligation.payee);
  const key = obligationKey(stub, obligation.escrowId);
  await stub.putPrivateData(collection, key, toStateBytes(obligation));
  await stub.setPrivateDataValidationParameter(
    collection,
    key,
    pairPolicy(obligation.payer, obligation.payee),
  );
}

/** Records the obligation of an escrow that has just ended owing its seller across marketplaces. */
export async function recordObligation(stub: ChaincodeStub, escrow: Escrow, closedAt: string): Promise<void> {
  const period = await obligationPeriod(stub, escrow, Date.parse(closedAt));
  const obligation = obligationOf(escrow, period, closedAt);
  await storeObligation(stub, obligation);
  const pair = statementPair(obligation.payer, obligation.payee);
  const indexKey = obligationPeriodKey(stub, pair, obligation.period, obligation.escrowId);
  await stub.putState(indexKey, INDEX_VALUE);
  await stub.setStateValidationParameter(indexKey, pairPolicy(...pair));
}

/** The escrow's obligation, if its end created one (its terms collection, on a member's peer). */
export async function findObligation(
  stub: ChaincodeStub,
  escrow: Escrow,
): Promise<ObligationRecord | undefined> {
  const collection = termsCollectionFor(escrow.buyer.marketplace, escrow.seller.marketplace);
  const bytes = await stub.getPrivateData(collection, obligationKey(stub, escrow.escrowId));
  return bytes.length === 0 ? undefined : obligationFromBytes(bytes);
}

/**
 * Every obligation of the pair recorded in `period`: the public period index, then each record from
 * the pair's terms collection by its key (point reads; a private range query would forbid the writes).
 */
export async function obligationsOfPeriod(
  stub: ChaincodeStub,
  first: string,
  second: string,
  period: string,
): Promise<ObligationRecord[]> {
  const collection = termsCollectionFor(first, second);
  const iterator = await stub.getStateByPartialCompositeKey(KEY_TYPES.obligationByPeriod, [
    first,
    second,
    period,
  ]);
  const escrowIds: string[] = [];
  try {
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      const escrowId = stub.splitCompositeKey(result.value.key).attributes.at(-1);
      if (escrowId !== undefined) escrowIds.push(escrowId);
    }
  } finally {
    await iterator.close();
  }
  const obligations: ObligationRecord[] = [];
  for (const escrowId of escrowIds) {
    const bytes = await stub.getPrivateData(collection, obligationKey(stub, escrowId));
    if (bytes.length === 0) throw new CorruptStateError(`obligation of ${escrowId} is indexed but absent`);
    obligations.push(obligationFromBytes(bytes));
  }
  return obligations;
}

/** The full statement from the pair's terms collection (undefined on a peer outside it, or none). */
export async function findStatement(
  stub: ChaincodeStub,
  first: string,
  second: string,
  statementId: string,
): Promise<StatementRecord | undefined> {
  const bytes = await stub.getPrivateData(termsCollectionFor(first, second), statementKey(stub, statementId));
  return bytes.length === 0 ? undefined : statementFromBytes(bytes);
}

/** Writes the statement (full record private, status public), both under the pair's policy. */
export async function storeStatement(stub: ChaincodeStub, statement: StatementRecord): Promise<void> {
  const collection = termsCollectionFor(statement.first, statement.second);
  const key = statementKey(stub, statement.statementId);
  const policy = pairPolicy(statement.first, statement.second);
  await stub.putPrivateData(collection, key, toStateBytes(statement));
  await stub.setPrivateDataValidationParameter(collection, key, policy);
  await stub.putState(key, toStateBytes(publicStatementOf(statement)));
  await stub.setStateValidationParameter(key, policy);
}
