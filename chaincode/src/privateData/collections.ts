// Private data collections. Personal data (`escrowPrivate_*`): one per pair of marketplaces and one
// per single marketplace, shared by exactly the orgs of an escrow's two parties. Commercial terms
// (`escrowTerms_*`): the same pairs plus Oversight, which arbitrates and audits every trade, so that
// no other marketplace's peer ever holds a trade's parties, items or amounts (see collections.json).
import { MARKETPLACES, type Marketplace, OVERSIGHT, type Organization } from '../config/identityConfig';

export const PRIVATE_DETAILS_TRANSIENT_KEY = 'privateDetails';
export const COLLECTION_PREFIX = 'escrowPrivate';
export const TERMS_COLLECTION_PREFIX = 'escrowTerms';

function marketplacesOf(buyer: Marketplace, seller: Marketplace): Marketplace[] {
  return [...new Set([buyer, seller])].sort(
    (left, right) => MARKETPLACES.indexOf(left) - MARKETPLACES.indexOf(right),
  );
}

export function collectionFor(buyer: Marketplace, seller: Marketplace): string {
  return [COLLECTION_PREFIX, ...marketplacesOf(buyer, seller)].join('_');
}

/** Where an escrow's terms (the full record) live: its parties' marketplaces and Oversight. */
export function termsCollectionFor(buyer: Marketplace, seller: Marketplace): string {
  return [TERMS_COLLECTION_PREFIX, ...marketplacesOf(buyer, seller)].join('_');
}

export interface CollectionDefinition {
  readonly name: string;
  readonly members: readonly Organization[];
  /** The orgs whose endorsement a write of a key without its own policy needs; none: the chaincode's. */
  readonly endorsedByAllMembers: boolean;
}

function marketplaceSets(): Marketplace[][] {
  const sets: Marketplace[][] = [];
  MARKETPLACES.forEach((first, index) => {
    sets.push([first]);
    for (const second of MARKETPLACES.slice(index + 1)) sets.push([first, second]);
  });
  return sets;
}

/** Every terms collection's name and members. */
export function allTermsCollections(): { name: string; members: Organization[] }[] {
  return marketplaceSets().map((set) => ({
    name: [TERMS_COLLECTION_PREFIX, ...set].join('_'),
    members: [...set, OVERSIGHT],
  }));
}

/**
 * Every collection the chaincode may use, in the order collections.json lists them. A personal-data
 * write needs every member (putPrivateDetails); a new terms key falls under the chaincode's policy,
 * like the public key written beside it, and every later write under the escrow's own (key-level).
 */
export function allCollections(): CollectionDefinition[] {
  return [
    ...marketplaceSets().map((set) => ({
      name: [COLLECTION_PREFIX, ...set].join('_'),
      members: set,
      endorsedByAllMembers: true,
    })),
    ...allTermsCollections().map((terms) => ({ ...terms, endorsedByAllMembers: false })),
  ];
}

export function isTermsCollection(name: string): boolean {
  return allTermsCollections().some((terms) => terms.name === name);
}

/** The orgs holding a terms collection, or undefined for a name that is not one. */
export function termsCollectionMembers(name: string): Organization[] | undefined {
  return allTermsCollections().find((terms) => terms.name === name)?.members;
}
