// Reads and writes of escrows and their indexes. Every write of an escrow passes the money
// invariant first, so a rule bug aborts the transaction instead of committing a bad split.
import type { ChaincodeStub, Iterators, Timestamp } from 'fabric-shim';
import {
  EscrowNotFoundError,
  ForbiddenActorError,
  InvalidInputError,
  TermsUnavailableError,
} from '../errors/escrowErrors';
import { type Escrow, ESCROW_STATES, type EscrowState, isTerminal } from '../escrow/escrow';
import { type EscrowEvent, publicEventPayloadOf } from '../escrow/events';
import { checkInvariant } from '../escrow/invariant';
import { type PublicEscrow, publicEscrowFromBytes, publicEscrowOf } from '../escrow/publicEscrow';
import {
  type EscrowVersion,
  escrowVersionFromBytes,
  type Terms,
  termsBytes,
  termsFromBytes,
  termsHash,
  versionBytes,
} from '../escrow/termsRecord';
import type { Actor } from '../identity/actor';
import { termsCollectionFor, termsCollectionMembers } from '../privateData/collections';
import type { Marketplace } from '../config/identityConfig';
import { LIMITS, toInstant } from '../validation/fields';
import { encodePolicy, escrowPolicy } from './endorsementPolicy';
import {
  INDEX_VALUE,
  KEY_TYPES,
  escrowKey,
  indexChanges,
  partyIndexKeys,
  publicIndexKeys,
  versionKey,
} from './keys';
import { toStateBytes } from './stateSerializer';
import { owesAcrossMarketplaces } from '../statements/obligation';
import { recordObligation } from './statementStore';

/** The public record of an escrow, which every member's peer holds. */
export async function findPublicEscrow(
  stub: ChaincodeStub,
  escrowId: string,
): Promise<PublicEscrow | undefined> {
  const bytes = await stub.getState(escrowKey(stub, escrowId));
  return bytes.length === 0 ? undefined : publicEscrowFromBytes(bytes);
}

/**
 * The escrow's terms, read from its terms collection on this peer. An identity of an org outside
 * the collection is refused before any private read (Fabric would refuse it too, without a stable
 * code); a peer outside it does not hold the terms: TERMS_UNAVAILABLE.
 */
export async function loadTerms(stub: ChaincodeStub, escrowId: string, actor: Actor): Promise<Terms> {
  const header = await findPublicEscrow(stub, escrowId);
  if (header === undefined) throw new EscrowNotFoundError(escrowId);
  const members = termsCollectionMembers(header.termsCollection) ?? [];
  if (!members.includes(actor.organization)) {
    throw new ForbiddenActorError(
      `${actor.role} ${actor.userId}@${actor.organization} is not of an organization of ${escrowId}`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await stub.getPrivateData(header.termsCollection, escrowKey(stub, escrowId));
  } catch {
    throw new TermsUnavailableError(escrowId, header.termsCollection);
  }
  if (bytes.length === 0) throw new TermsUnavailableError(escrowId, header.termsCollection);
  return termsFromBytes(bytes);
}

export async function loadEscrow(stub: ChaincodeStub, escrowId: string, actor: Actor): Promise<Escrow> {
  return (await loadTerms(stub, escrowId, actor)).escrow;
}

/** The escrow's own endorsement policy, as SignaturePolicyEnvelope bytes. */
export function escrowPolicyBytes(escrow: Escrow, disputed: boolean): Uint8Array {
  return encodePolicy(escrowPolicy(escrow.buyer.marketplace, escrow.seller.marketplace, disputed));
}

function isDisputed(escrow: Escrow): boolean {
  return escrow.state === 'DISPUTED' || escrow.state === 'RESOLVED';
}

export function termsCollectionOf(escrow: Escrow): string {
  return termsCollectionFor(escrow.buyer.marketplace, escrow.seller.marketplace);
}

/**
 * Keeps a transaction's version (record and full event) in the terms collection and emits the
 * public event. Each version key is new, so it carries no policy of its own: what protects it is
 * the escrow key written beside it, whose policy names the parties' orgs.
 */
export async function recordVersion(stub: ChaincodeStub, escrow: Escrow, event: EscrowEvent): Promise<void> {
  const version: EscrowVersion = {
    docType: 'escrowVersion',
    escrowId: escrow.escrowId,
    txId: stub.getTxID(),
    escrow,
    event,
  };
  await stub.putPrivateData(
    termsCollectionOf(escrow),
    versionKey(stub, escrow.escrowId, version.txId),
    versionBytes(version),
  );
  stub.setEvent(event.name, toStateBytes(publicEventPayloadOf(event.payload)));
}

/**
 * Writes an escrow after a transition: invariant check; the terms (full record) and the by-party
 * index in the terms collection; the public record and indexes; the version and the public event;
 * and the key-level policy of every key it adds, and of the escrow's keys whenever it has to change
 * (on creation and when a dispute opens), so no org outside the trade can move or delete them. The
 * transaction that ends an escrow owing its seller across marketplaces also records that obligation.
 */
export async function storeEscrow(
  stub: ChaincodeStub,
  before: Escrow | undefined,
  after: Escrow,
  event: EscrowEvent,
  salt: string,
): Promise<void> {
  checkInvariant(after);
  const collection = termsCollectionOf(after);
  const key = escrowKey(stub, after.escrowId);
  const terms = { escrow: after, salt };
  await stub.putPrivateData(collection, key, termsBytes(terms));
  await stub.putState(key, toStateBytes(publicEscrowOf(after, collection, termsHash(terms))));
  const disputed = isDisputed(after);
  const policy = escrowPolicyBytes(after, disputed);
  if (before === undefined || disputed !== isDisputed(before)) {
    await stub.setStateValidationParameter(key, policy);
    await stub.setPrivateDataValidationParameter(collection, key, policy);
  }
  const publicIndexes = indexChanges((escrow) => publicIndexKeys(stub, escrow), before, after);
  for (const indexKey of publicIndexes.remove) await stub.deleteState(indexKey);
  for (const indexKey of publicIndexes.add) {
    await stub.putState(indexKey, INDEX_VALUE);
    await stub.setStateValidationParameter(indexKey, policy);
  }
  const partyIndexes = indexChanges((escrow) => partyIndexKeys(stub, escrow), before, after);
  for (const indexKey of partyIndexes.remove) await stub.deletePrivateData(collection, indexKey);
  for (const indexKey of partyIndexes.add) {
    await stub.putPrivateData(collection, indexKey, INDEX_VALUE);
    await stub.setPrivateDataValidationParameter(collection, indexKey, policy);
  }
  if (before !== undefined && !isTerminal(before.state) && owesAcrossMarketplaces(after))
    await recordObligation(stub, after, after.updatedAt);
  await recordVersion(stub, after, event);
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

/** One page of escrows from a public index: the escrow id is the last attribute of each index key. */
export async function listEscrows(
  stub: ChaincodeStub,
  actor: Actor,
  index: (typeof KEY_TYPES)['byMarketplace' | 'byState'],
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
    if (escrowId !== undefined) records.push(await loadEscrow(stub, escrowId, actor));
  }
  return { records, fetchedRecordsCount: metadata.fetchedRecordsCount, bookmark: metadata.bookmark };
}

/** The by-party index entries of one terms collection; none when the definition lacks it (not approved yet). */
async function partyEntries(
  stub: ChaincodeStub,
  collection: string,
  party: { readonly marketplace: Marketplace; readonly userId: string },
): Promise<{ key: string }[]> {
  try {
    return await drain(
      await stub.getPrivateDataByPartialCompositeKey(collection, KEY_TYPES.byParty, [
        party.marketplace,
        party.userId,
      ]),
    );
  } catch {
    return [];
  }
}

/**
 * One page of a user's escrows from the by-party index, which lives in the terms collections: every
 * collection of the user's marketplace with a registered marketplace that the caller's org holds is
 * scanned (a private range query has no pagination), and the page is cut by escrow id after the
 * bookmark (the last id given).
 */
export async function listEscrowsOfParty(
  stub: ChaincodeStub,
  actor: Actor,
  party: { readonly marketplace: Marketplace; readonly userId: string },
  registered: readonly Marketplace[],
  pageSize: number,
  bookmark: string,
): Promise<Page<Escrow>> {
  const ids = new Set<string>();
  const collections = new Set(registered.map((other) => termsCollectionFor(party.marketplace, other)));
  for (const name of collections) {
    if (!(termsCollectionMembers(name) ?? []).includes(actor.organization)) continue;
    for (const entry of await partyEntries(stub, name, party)) {
      const escrowId = stub.splitCompositeKey(entry.key).attributes.at(-1);
      if (escrowId !== undefined) ids.add(escrowId);
    }
  }
  const after = [...ids].sort().filter((id) => bookmark === '' || id > bookmark);
  const page = after.slice(0, pageSize);
  const records: Escrow[] = [];
  for (const escrowId of page) records.push(await loadEscrow(stub, escrowId, actor));
  const more = after.length > page.length;
  return { records, fetchedRecordsCount: records.length, bookmark: more ? (page.at(-1) ?? '') : '' };
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
 * Every committed version of an escrow, oldest first, with the transaction that wrote it: the
 * public key's history says which transactions wrote it and when, and each one's version in the
 * terms collection holds the record it left. Fabric returns history newest first by block and
 * transaction height, so the list is reversed; it is not sorted by timestamp, which is client-chosen
 * and only bounded by the endorsers' skew check.
 */
export async function escrowHistory(
  stub: ChaincodeStub,
  escrowId: string,
  actor: Actor,
): Promise<HistoryEntry[]> {
  const { escrow } = await loadTerms(stub, escrowId, actor);
  const collection = termsCollectionOf(escrow);
  const modifications = await drain(await stub.getHistoryForKey(escrowKey(stub, escrowId)));
  const entries: HistoryEntry[] = [];
  for (const modification of modifications.reverse()) {
    const bytes = await stub.getPrivateData(collection, versionKey(stub, escrowId, modification.txId));
    entries.push({
      txId: modification.txId,
      timestamp: toInstant(timestampMillis(modification.timestamp)),
      isDelete: modification.isDelete,
      escrow: modification.isDelete || bytes.length === 0 ? null : escrowVersionFromBytes(bytes).escrow,
    });
  }
  return entries;
}
