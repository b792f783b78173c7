// Reads and writes of escrows and their indexes. Every write of an escrow passes the money
// invariant first, so a rule bug aborts the transaction instead of committing a bad split.
import type { ChaincodeStub, Iterators, Timestamp } from 'fabric-shim';
import { EscrowNotFoundError, InvalidInputError } from '../errors/escrowErrors';
import { type Escrow, ESCROW_STATES, type EscrowState } from '../escrow/escrow';
import { escrowFromBytes } from '../escrow/escrowCodec';
import type { EscrowEvent } from '../escrow/events';
import { checkInvariant } from '../escrow/invariant';
import { LIMITS, toInstant } from '../validation/fields';
import { encodePolicy, escrowPolicy } from './endorsementPolicy';
import { INDEX_VALUE, KEY_TYPES, escrowKey, indexChanges } from './keys';
import { toStateBytes } from './stateSerializer';

export async function findEscrow(stub: ChaincodeStub, escrowId: string): Promise<Escrow | undefined> {
  const bytes = await stub.getState(escrowKey(stub, escrowId));
  return bytes.length === 0 ? undefined : escrowFromBytes(bytes);
}

export async function loadEscrow(stub: ChaincodeStub, escrowId: string): Promise<Escrow> {
  const escrow = await findEscrow(stub, escrowId);
  if (escrow === undefined) throw new EscrowNotFoundError(escrowId);
  return escrow;
}

/** The escrow's own endorsement policy, as SignaturePolicyEnvelope bytes. */
export function escrowPolicyBytes(escrow: Escrow, disputed: boolean): Uint8Array {
  return encodePolicy(escrowPolicy(escrow.buyer.marketplace, escrow.seller.marketplace, disputed));
}

function isDisputed(escrow: Escrow): boolean {
  return escrow.state === 'DISPUTED' || escrow.state === 'RESOLVED';
}

/**
 * Writes an escrow after a transition: invariant check, record, index moves, the event, and the
 * key's endorsement policy whenever it has to change (on creation and when a dispute opens). Every
 * index key it adds carries the same policy, so no org outside the trade can move or delete them.
 */
export async function storeEscrow(
  stub: ChaincodeStub,
  before: Escrow | undefined,
  after: Escrow,
  event: EscrowEvent,
): Promise<void> {
  checkInvariant(after);
  const key = escrowKey(stub, after.escrowId);
  await stub.putState(key, toStateBytes(after));
  const disputed = isDisputed(after);
  const policy = escrowPolicyBytes(after, disputed);
  if (before === undefined || disputed !== isDisputed(before)) {
    await stub.setStateValidationParameter(key, policy);
  }
  const { remove, add } = indexChanges(stub, before, after);
  for (const indexKey of remove) await stub.deleteState(indexKey);
  for (const indexKey of add) {
    await stub.putState(indexKey, INDEX_VALUE);
    await stub.setStateValidationParameter(indexKey, policy);
  }
  stub.setEvent(event.name, toStateBytes(event.payload));
}

export interface Page<T> {
  readonly records: readonly T[];
  readonly fetchedRecordsCount: number;
  readonly bookmark: string;
}

export function parsePageSize(value: string): number {
  if (!/^[1-9][0-9]{0,2}$/.test(value) || Number(value) > LIMITS.pageSize) {
    throw new InvalidInputError(`pageSize must be a whole number from 1 to ${LIMITS.pageSize}`);
  }
  return Number(value);
}

export function parseBookmark(value: string): string {
  if (value.length > LIMITS.bookmarkLength) throw new InvalidInputError('bookmark is too long');
  return value;
}

export function parseState(value: string): EscrowState {
  const state = ESCROW_STATES.find((candidate) => candidate === value);
  if (state === undefined) throw new InvalidInputError(`state must be one of ${ESCROW_STATES.join(', ')}`);
  return state;
}

async function drain<T>(iterator: Iterators.CommonIterator<T>): Promise<T[]> {
  const values: T[] = [];
  try {
    for (let result = await iterator.next(); !result.done; result = await iterator.next())
      values.push(result.value);
  } finally {
    await iterator.close();
  }
  return values;
}

/** One page of escrows from an index: the escrow id is the last attribute of each index key. */
export async function listEscrows(
  stub: ChaincodeStub,
  index: (typeof KEY_TYPES)['byParty' | 'byMarketplace' | 'byState'],
  attributes: string[],
  pageSize: number,
  bookmark: string,
): Promise<Page<Escrow>> {
  const { iterator, metadata } = await stub.getStateByPartialCompositeKeyWithPagination(
    index,
    attributes,
    pageSize,
    bookmark,
  );
  const entries = await drain(iterator);
  const records: Escrow[] = [];
  for (const entry of entries) {
    const escrowId = stub.splitCompositeKey(entry.key).attributes.at(-1);
    if (escrowId !== undefined) records.push(await loadEscrow(stub, escrowId));
  }
  return { records, fetchedRecordsCount: metadata.fetchedRecordsCount, bookmark: metadata.bookmark };
}

/** Values of every key under a partial composite key (unpaginated: for bounded per-user scans). */
export async function scanValues(
  stub: ChaincodeStub,
  objectType: string,
  attributes: string[],
): Promise<Uint8Array[]> {
  const entries = await drain(await stub.getStateByPartialCompositeKey(objectType, attributes));
  return entries.map((entry) => entry.value);
}

export interface HistoryEntry {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly escrow: Escrow | null;
}

// Typed as Long, but the shim hands over the protobuf object form, where seconds is a number.
function timestampMillis(timestamp: Timestamp): number {
  const seconds = Number(timestamp.seconds.toString());
  return seconds * 1000 + Math.floor(timestamp.nanos / 1_000_000);
}

/**
 * Every committed version of an escrow, oldest first, with the transaction that wrote it. Fabric
 * returns history newest first by block and transaction height, so the list is reversed; it is
 * not sorted by timestamp, which is client-chosen and only bounded by the endorsers' skew check.
 */
export async function escrowHistory(stub: ChaincodeStub, escrowId: string): Promise<HistoryEntry[]> {
  const modifications = await drain(await stub.getHistoryForKey(escrowKey(stub, escrowId)));
  if (modifications.length === 0) throw new EscrowNotFoundError(escrowId);
  return modifications
    .map((modification) => ({
      txId: modification.txId,
      timestamp: toInstant(timestampMillis(modification.timestamp)),
      isDelete: modification.isDelete,
      escrow: modification.isDelete ? null : escrowFromBytes(modification.value),
    }))
    .reverse();
}
