// The metadata keys the escrow puts on every Stripe object it creates, so reconciliation and the
// webhook service can find the escrow from the provider's side alone.
export const escrowIdMetadataKey = 'escrow_id';
export const marketplaceMetadataKey = 'marketplace';
export const buyerMetadataKey = 'buyer';
/** On a refund or transfer of one item of an escrow settled item by item: the item's index. */
export const itemMetadataKey = 'item';
/** On a verification session: the party's user id at the marketplace named by `marketplace`. */
export const partyUserMetadataKey = 'party_user_id';
