// What one valid escrow transaction wrote and emitted, as the projection's org can read it. Public
// state holds only reduced records (escrow, review) and the event a reduced payload; the full escrow,
// the full review and the full event payload (its `escrow~version`) are private writes to the
// escrow's terms collection, delivered with the block to members of that collection only.
import {
  escrowFromBytes,
  EscrowError,
  escrowVersionFromBytes,
  isTermsCollection,
  KEY_TYPES,
  PARTY_VERIFICATION_ATTESTED,
  publicEventPayloadFromBytes,
  publicReviewFromBytes,
  reviewFromBytes,
  termsCollectionMembers,
  type Escrow,
  type EscrowVersion,
  type Organization,
  type PublicEventPayload,
  type PublicReview,
  type Review,
} from '@p2p-escrow/chaincode';
import type { Transaction } from '@p2p-escrow/fabric-client';
import { splitCompositeKey } from '../ledger/compositeKey';

export interface TransactionRecords {
  readonly kind: 'records';
  /** Full escrow records from the terms collection's `escrow` writes. */
  readonly escrows: readonly Escrow[];
  /** Full reviews from the terms collection's `review` writes. */
  readonly reviews: readonly Review[];
  /** The reduced reviews on public state (no escrow, no author): what a review is without its private data. */
  readonly publicReviews: readonly PublicReview[];
  /** The chaincode event of this chaincode, as the block carries it (reduced payload). */
  readonly event: { readonly name: string; readonly payload: PublicEventPayload } | undefined;
  /** The version the transaction wrote to the terms collection; undefined when its private data is absent. */
  readonly version: EscrowVersion | undefined;
}

/** A transaction on a terms collection the org is not a member of: another org's projection's. */
export interface ForeignTransaction {
  readonly kind: 'foreign';
}

/** A valid transaction whose record or event could not be read: quarantined, with why. */
export interface UnreadableTransaction {
  readonly kind: 'unreadable';
  readonly txId: string;
  /** The escrows its keys or event name, as far as they can be told without reading the record. */
  readonly escrowIds: readonly string[];
  readonly reason: string;
}

export type TransactionReading = TransactionRecords | ForeignTransaction | UnreadableTransaction;

/** Reads `tx` for `organization`'s projection, or says why it cannot (only CORRUPT_STATE is caught). */
export function readTransaction(
  tx: Transaction,
  chaincodeName: string,
  organization: Organization,
): TransactionReading {
  const foreign = termsCollectionsOf(tx, chaincodeName).some(
    (collection) => !(termsCollectionMembers(collection) ?? []).includes(organization),
  );
  if (foreign) return { kind: 'foreign' };
  let records: TransactionRecords;
  try {
    records = recordsOf(tx, chaincodeName);
  } catch (error) {
    if (!(error instanceof EscrowError) || error.code !== 'CORRUPT_STATE') throw error;
    return unreadable(tx, chaincodeName, error.message);
  }
  const { version, event } = records;
  if (
    version !== undefined &&
    (version.event.name !== event?.name || version.escrowId !== event.payload.escrowId)
  )
    return unreadable(
      tx,
      chaincodeName,
      `the version of escrow ${version.escrowId} disagrees with the event`,
    );
  return records;
}

function unreadable(tx: Transaction, chaincodeName: string, detail: string): UnreadableTransaction {
  return {
    kind: 'unreadable',
    txId: tx.id,
    escrowIds: keyedEscrowIds(tx, chaincodeName),
    reason: `CORRUPT_STATE: ${detail}`,
  };
}

/** The terms collections the transaction wrote, from the block's hashed writes (present for everyone). */
function termsCollectionsOf(tx: Transaction, chaincodeName: string): string[] {
  const collections = new Set<string>();
  for (const set of tx.readWriteSets) {
    if (set.namespace !== chaincodeName) continue;
    for (const write of set.hashedPrivateWrites)
      if (isTermsCollection(write.collection)) collections.add(write.collection);
  }
  return [...collections];
}

/** The transaction's writes that the projection reads: public ones, then those to terms collections. */
function keyWritesOf(tx: Transaction, chaincodeName: string) {
  const publicWrites = tx.readWriteSets
    .filter((set) => set.namespace === chaincodeName)
    .flatMap((set) => set.writes.map((write) => ({ ...write, isPrivate: false })));
  const privateWrites = tx.privateWrites
    .filter((write) => write.namespace === chaincodeName && isTermsCollection(write.collection))
    .map((write) => ({ ...write, isPrivate: true }));
  return [...publicWrites, ...privateWrites].map((write) => ({
    ...write,
    parsedKey: splitCompositeKey(write.key),
  }));
}

function recordsOf(tx: Transaction, chaincodeName: string): TransactionRecords {
  const escrows: Escrow[] = [];
  const reviews: Review[] = [];
  const publicReviews: PublicReview[] = [];
  let version: EscrowVersion | undefined;
  for (const write of keyWritesOf(tx, chaincodeName)) {
    const objectType = write.parsedKey?.objectType;
    if (write.isDelete) continue;
    if (!write.isPrivate) {
      // Public escrow records are reduced ones, read from their private write; the reduced review
      // stands in for the full one only when the private data is missing.
      if (objectType === KEY_TYPES.review) publicReviews.push(publicReviewFromBytes(write.value));
    } else if (objectType === KEY_TYPES.escrow) escrows.push(escrowFromBytes(write.value));
    else if (objectType === KEY_TYPES.review) reviews.push(reviewFromBytes(write.value));
    else if (objectType === KEY_TYPES.escrowVersion && write.parsedKey?.attributes.at(-1) === tx.id)
      version = escrowVersionFromBytes(write.value);
  }
  const event = tx.event;
  // A party's verification attestation names no escrow: the escrow stream does not carry it.
  const ours =
    event !== undefined &&
    event.chaincodeName === chaincodeName &&
    event.name !== PARTY_VERIFICATION_ATTESTED;
  return {
    kind: 'records',
    escrows,
    reviews,
    publicReviews,
    version,
    event: ours
      ? { name: event.name, payload: publicEventPayloadFromBytes(event.payload, event.name) }
      : undefined,
  };
}

/**
 * The escrow ids named by the transaction's escrow and version keys and its private review keys
 * (their first part; a public review key names no escrow).
 */
function keyedEscrowIds(tx: Transaction, chaincodeName: string): string[] {
  const ids = new Set<string>();
  for (const { parsedKey, isPrivate } of keyWritesOf(tx, chaincodeName)) {
    const type = parsedKey?.objectType;
    const named = type === KEY_TYPES.escrow || type === KEY_TYPES.escrowVersion;
    if (named || (isPrivate && type === KEY_TYPES.review)) ids.add(parsedKey?.attributes[0] ?? '');
  }
  ids.delete('');
  return [...ids];
}
