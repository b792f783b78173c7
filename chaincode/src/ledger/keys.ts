// Ledger key layout. Escrows, their secondary indexes and reviews are composite keys, so lists
// are partial-key range scans (LevelDB, no CouchDB) and nothing is a shared hot key.
import type { Escrow } from '../escrow/escrow';

export interface KeyMaker {
  createCompositeKey(objectType: string, attributes: string[]): string;
}

export const KEY_TYPES = {
  escrow: 'escrow',
  byParty: 'escrow~party',
  byMarketplace: 'escrow~marketplace',
  byState: 'escrow~state',
  escrowVersion: 'escrow~version',
  review: 'review',
  marker: 'marker',
  channelSettings: 'channelSettings',
  marketplaceRegistry: 'marketplaceRegistry',
  obligation: 'obligation',
  obligationByPeriod: 'obligation~period',
  statement: 'statement',
  returnAddress: 'returnAddress',
  partyVerification: 'partyVerification',
} as const;

/** Index entries need a non-empty value: Fabric treats an empty put as a delete. */
export const INDEX_VALUE = Uint8Array.of(0);

export function escrowKey(keys: KeyMaker, escrowId: string): string {
  return keys.createCompositeKey(KEY_TYPES.escrow, [escrowId]);
}

/** A review on public state: its subject, then its unlinkable reference (review.ts reviewRef). */
export function reviewKey(keys: KeyMaker, marketplace: string, userId: string, ref: string): string {
  return keys.createCompositeKey(KEY_TYPES.review, [marketplace, userId, ref]);
}

/** The full review in the trade's terms collection: its escrow and the reviewer's side. */
export function termsReviewKey(keys: KeyMaker, escrowId: string, reviewer: string): string {
  return keys.createCompositeKey(KEY_TYPES.review, [escrowId, reviewer]);
}

/** The one marketplace registry record. */
export function marketplaceRegistryKey(keys: KeyMaker): string {
  return keys.createCompositeKey(KEY_TYPES.marketplaceRegistry, []);
}

/** The one channel settings record. */
export function channelSettingsKey(keys: KeyMaker): string {
  return keys.createCompositeKey(KEY_TYPES.channelSettings, []);
}

/** A party's entry in the by-party index of an escrow. */
export function partyIndexKey(keys: KeyMaker, marketplace: string, userId: string, escrowId: string): string {
  return keys.createCompositeKey(KEY_TYPES.byParty, [marketplace, userId, escrowId]);
}

/** An escrow's obligation between marketplaces, in its terms collection. */
export function obligationKey(keys: KeyMaker, escrowId: string): string {
  return keys.createCompositeKey(KEY_TYPES.obligation, [escrowId]);
}

/**
 * The period index of obligations, which a statement scans: public state, since Fabric allows no
 * private-data range query in a transaction that writes, and public range queries are re-checked at
 * validation (an obligation committed meanwhile invalidates the statement). It names the pair, the
 * period and the escrow only: no direction, no amount.
 */
export function obligationPeriodKey(
  keys: KeyMaker,
  pair: readonly [string, string],
  period: string,
  escrowId: string,
): string {
  return keys.createCompositeKey(KEY_TYPES.obligationByPeriod, [...pair, period, escrowId]);
}

/** A statement: the full record in the pair's terms collection, its status in public state. */
export function statementKey(keys: KeyMaker, statementId: string): string {
  return keys.createCompositeKey(KEY_TYPES.statement, [statementId]);
}

export function markerKey(keys: KeyMaker, name: string): string {
  return keys.createCompositeKey(KEY_TYPES.marker, [name]);
}

/** A transaction's version of an escrow, in the terms collection (termsRecord.ts). */
export function versionKey(keys: KeyMaker, escrowId: string, txId: string): string {
  return keys.createCompositeKey(KEY_TYPES.escrowVersion, [escrowId, txId]);
}

/** The public index keys of an escrow: by each marketplace and by state (no user, no amount). */
export function publicIndexKeys(keys: KeyMaker, escrow: Escrow): string[] {
  const id = escrow.escrowId;
  const marketplaces = [...new Set([escrow.buyer.marketplace, escrow.seller.marketplace])];
  return [
    ...marketplaces.map((marketplace) => keys.createCompositeKey(KEY_TYPES.byMarketplace, [marketplace, id])),
    keys.createCompositeKey(KEY_TYPES.byState, [escrow.state, id]),
  ];
}

/** The by-party index keys of an escrow, kept in its terms collection since they name its users. */
export function partyIndexKeys(keys: KeyMaker, escrow: Escrow): string[] {
  const id = escrow.escrowId;
  return [
    partyIndexKey(keys, escrow.buyer.marketplace, escrow.buyer.userId, id),
    partyIndexKey(keys, escrow.seller.marketplace, escrow.seller.userId, id),
  ];
}

/** The keys to delete and to add when an escrow changes from `before` to `after`, by `keysOf`. */
export function indexChanges(
  keysOf: (escrow: Escrow) => string[],
  before: Escrow | undefined,
  after: Escrow,
): { remove: string[]; add: string[] } {
  const old = before === undefined ? [] : keysOf(before);
  const next = [...new Set(keysOf(after))];
  return { remove: old.filter((key) => !next.includes(key)), add: next.filter((key) => !old.includes(key)) };
}

/** A party's identity-verification attestation: its marketplace, then its user id. */
export function partyVerificationKey(keys: KeyMaker, marketplace: string, userId: string): string {
  return keys.createCompositeKey(KEY_TYPES.partyVerification, [marketplace, userId]);
}
