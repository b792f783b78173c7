// Private data collections: one per pair of marketplaces and one per single marketplace, so an
// escrow's personal data is shared by exactly the orgs of its two parties (see collections.json).
import { MARKETPLACES, type Marketplace } from '../config/identityConfig';

export const PRIVATE_DETAILS_TRANSIENT_KEY = 'privateDetails';
export const COLLECTION_PREFIX = 'escrowPrivate';

export function collectionFor(buyer: Marketplace, seller: Marketplace): string {
  const members = [...new Set([buyer, seller])].sort(
    (left, right) => MARKETPLACES.indexOf(left) - MARKETPLACES.indexOf(right),
  );
  return [COLLECTION_PREFIX, ...members].join('_');
}

/** Every collection the chaincode may use, in the order collections.json lists them. */
export function allCollections(): { name: string; members: Marketplace[] }[] {
  const result: { name: string; members: Marketplace[] }[] = [];
  MARKETPLACES.forEach((first, index) => {
    result.push({ name: collectionFor(first, first), members: [first] });
    for (const second of MARKETPLACES.slice(index + 1)) {
      result.push({ name: collectionFor(first, second), members: [first, second] });
    }
  });
  return result;
}
