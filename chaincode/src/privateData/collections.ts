// Private data collections. Personal data (`escrowPrivate_*`): one per pair of marketplaces and one
// per single marketplace, shared by exactly the orgs of an escrow's two parties. Commercial terms
// (`escrowTerms_*`): the same pairs plus Oversight, which arbitrates and audits every trade, so that
// no other marketplace's peer ever holds a trade's parties, items or amounts. A collection's name
// lists its marketplaces sorted by name, so adding a marketplace never renames an existing one; the
// configuration of every collection is generated from the registered marketplaces (collectionsConfig),
// and collections.json is its output for the founding marketplaces.
import { type Marketplace, OVERSIGHT, type Organization, isMarketplace } from '../config/identityConfig';

export const PRIVATE_DETAILS_TRANSIENT_KEY = 'privateDetails';
export const COLLECTION_PREFIX = 'escrowPrivate';
export const TERMS_COLLECTION_PREFIX = 'escrowTerms';

function byName(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function marketplacesOf(buyer: Marketplace, seller: Marketplace): Marketplace[] {
  return [...new Set([buyer, seller])].sort(byName);
}

export function collectionFor(buyer: Marketplace, seller: Marketplace): string {
  return [COLLECTION_PREFIX, ...marketplacesOf(buyer, seller)].join('_');
}

/** Where an escrow's terms (the full record) live: its parties' marketplaces and Oversight. */
export function termsCollectionFor(buyer: Marketplace, seller: Marketplace): string {
  return [TERMS_COLLECTION_PREFIX, ...marketplacesOf(buyer, seller)].join('_');
}

/** The marketplaces a terms collection's name lists, or undefined for a name that is not one. */
function termsCollectionMarketplaces(name: string): Marketplace[] | undefined {
  const [prefix, ...marketplaces] = name.split('_');
  if (prefix !== TERMS_COLLECTION_PREFIX || marketplaces.length < 1 || marketplaces.length > 2)
    return undefined;
  if (!marketplaces.every(isMarketplace)) return undefined;
  const [first = '', second] = marketplaces;
  return second === undefined || first < second ? marketplaces : undefined;
}

export function isTermsCollection(name: string): boolean {
  return termsCollectionMarketplaces(name) !== undefined;
}

/** The orgs holding a terms collection (read from its name), or undefined for a name that is not one. */
export function termsCollectionMembers(name: string): Organization[] | undefined {
  const marketplaces = termsCollectionMarketplaces(name);
  return marketplaces === undefined ? undefined : [...marketplaces, OVERSIGHT];
}

/** A marketplace as the collections configuration needs it. */
export interface CollectionMarketplace {
  readonly name: Marketplace;
  readonly mspId: string;
}

/** One entry of Fabric's collections configuration (`peer lifecycle ... --collections-config`). */
export interface CollectionConfig {
  readonly name: string;
  readonly policy: string;
  readonly requiredPeerCount: 0;
  readonly maxPeerCount: 1;
  readonly blockToLive: 0;
  readonly memberOnlyRead: true;
  readonly memberOnlyWrite: true;
  readonly endorsementPolicy?: { readonly signaturePolicy: string };
}

function marketplaceSets(marketplaces: readonly CollectionMarketplace[]): CollectionMarketplace[][] {
  const sorted = [...marketplaces].sort((left, right) => byName(left.name, right.name));
  return sorted.flatMap((first, index) => [
    [first],
    ...sorted.slice(index + 1).map((second) => [first, second]),
  ]);
}

function principals(mspIds: readonly string[]): string {
  return mspIds.map((mspId) => `'${mspId}.member'`).join(',');
}

function collection(
  prefix: string,
  set: readonly CollectionMarketplace[],
  mspIds: readonly string[],
): CollectionConfig {
  return {
    name: [prefix, ...set.map((marketplace) => marketplace.name)].join('_'),
    policy: `OR(${principals(mspIds)})`,
    requiredPeerCount: 0,
    maxPeerCount: 1,
    blockToLive: 0,
    memberOnlyRead: true,
    memberOnlyWrite: true,
  };
}

/**
 * Every collection the chaincode may use for these marketplaces, in the order collections.json
 * lists them: members only, no peer spread, kept until purged. A personal-data write needs every
 * member (putPrivateDetails: the collection's endorsement policy is the AND of them); a new terms key
 * falls under the chaincode's policy, like the public key written beside it, and every later write
 * under the escrow's own (key-level).
 */
export function collectionsConfig(
  marketplaces: readonly CollectionMarketplace[],
  oversightMspId: string,
): CollectionConfig[] {
  const sets = marketplaceSets(marketplaces);
  return [
    ...sets.map((set) => {
      const mspIds = set.map((marketplace) => marketplace.mspId);
      return {
        ...collection(COLLECTION_PREFIX, set, mspIds),
        endorsementPolicy: { signaturePolicy: `AND(${principals(mspIds)})` },
      };
    }),
    ...sets.map((set) =>
      collection(TERMS_COLLECTION_PREFIX, set, [...set.map((m) => m.mspId), oversightMspId]),
    ),
  ];
}
