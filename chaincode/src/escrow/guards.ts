// Named access rules. Each guard either returns normally or throws FORBIDDEN_ACTOR; the
// predicates beside them let rules combine ("the buyer, or anyone after the window").
import {
  IDENTITY_ATTRIBUTES,
  type Marketplace,
  OVERSIGHT,
  type Role,
  trustedCarrierOrganizations,
} from '../config/identityConfig';
import { ForbiddenActorError } from '../errors/escrowErrors';
import type { Actor, IdentitySource } from '../identity/actor';
import type { Escrow, Party } from './escrow';

interface Parties {
  readonly buyer: Party;
  readonly seller: Party;
}

/** A proposal: its parties and the identity that opened it (always a party's marketplace backend). */
interface Proposal extends Parties {
  readonly createdBy: Actor;
}

function isUser(actor: Actor, party: Party, role: Role): boolean {
  return actor.role === role && actor.organization === party.marketplace && actor.userId === party.userId;
}

export function isBuyer(escrow: Parties, actor: Actor): boolean {
  return isUser(actor, escrow.buyer, 'buyer');
}

export function isSeller(escrow: Parties, actor: Actor): boolean {
  return isUser(actor, escrow.seller, 'seller');
}

export function isParty(escrow: Parties, actor: Actor): boolean {
  return isBuyer(escrow, actor) || isSeller(escrow, actor);
}

function isOfPartyMarketplace(escrow: Parties, actor: Actor): boolean {
  return actor.organization === escrow.buyer.marketplace || actor.organization === escrow.seller.marketplace;
}

function describe(actor: Actor): string {
  return `${actor.role} ${actor.userId}@${actor.organization}`;
}

export function requireBuyer(escrow: Escrow, actor: Actor): void {
  if (!isBuyer(escrow, actor))
    throw new ForbiddenActorError(`${describe(actor)} is not the buyer of ${escrow.escrowId}`);
}

export function requireSeller(escrow: Escrow, actor: Actor): void {
  if (!isSeller(escrow, actor)) {
    throw new ForbiddenActorError(`${describe(actor)} is not the seller of ${escrow.escrowId}`);
  }
}

export function requireParty(escrow: Escrow, actor: Actor): void {
  if (!isParty(escrow, actor))
    throw new ForbiddenActorError(`${describe(actor)} is not a party to ${escrow.escrowId}`);
}

/**
 * Whose consent a proposal awaits: the party on the other marketplace than the one that opened it.
 * When both trade on that marketplace, the seller: the marketplace opens the escrow for its buyer's
 * purchase, and the seller agrees to the terms.
 */
export function counterpartyOf(proposal: Proposal): 'buyer' | 'seller' {
  const { buyer, seller, createdBy } = proposal;
  if (buyer.marketplace !== seller.marketplace && createdBy.organization === seller.marketplace)
    return 'buyer';
  return 'seller';
}

/**
 * The counterparty user itself, or (across marketplaces only) its marketplace's backend acting for
 * it. The creator's side never qualifies: across marketplaces the counterparty's marketplace is not
 * the creator's, and on one marketplace the backend is the creator, so only the user may consent.
 */
export function requireCounterparty(escrow: Escrow, actor: Actor): void {
  const side = counterpartyOf(escrow);
  const party = escrow[side];
  if (isUser(actor, party, side)) return;
  const sameMarketplace = escrow.buyer.marketplace === escrow.seller.marketplace;
  if (!sameMarketplace && actor.role === 'marketplace' && actor.organization === party.marketplace) return;
  throw new ForbiddenActorError(
    `${describe(actor)} is not the ${side} of ${escrow.escrowId}${sameMarketplace ? '' : ' nor its marketplace'}`,
  );
}

/** A carrier whose word the buyer's side trusts: see trustedCarrierOrganizations. */
export function isTrustedCarrier(escrow: Parties, actor: Actor): boolean {
  const trusted = trustedCarrierOrganizations(escrow.buyer.marketplace, escrow.seller.marketplace);
  return actor.role === 'carrier' && trusted.includes(actor.organization);
}

export function requireBuyerOrTrustedCarrier(escrow: Escrow, actor: Actor): void {
  if (!isBuyer(escrow, actor) && !isTrustedCarrier(escrow, actor)) {
    const trusted = trustedCarrierOrganizations(escrow.buyer.marketplace, escrow.seller.marketplace);
    throw new ForbiddenActorError(
      `${describe(actor)} is neither the buyer of ${escrow.escrowId} nor a carrier of ${trusted.join(' or ')}`,
    );
  }
}

/** A marketplace backend may only open escrows in which its own marketplace trades. */
export function requireMarketplaceOf(parties: Parties, actor: Actor): void {
  if (actor.role !== 'marketplace' || !isOfPartyMarketplace(parties, actor)) {
    throw new ForbiddenActorError(`${describe(actor)} is not the marketplace of the buyer or the seller`);
  }
}

export function requirePaymentsIdentityOf(marketplace: Marketplace, actor: Actor): void {
  if (actor.role !== 'payments' || actor.organization !== marketplace) {
    throw new ForbiddenActorError(`${describe(actor)} is not a payments identity of ${marketplace}`);
  }
}

/** Funding is the payments service's alone: its identity carries the funding key (identityConfig.ts). */
export function requireFundingKey(identity: IdentitySource, actor: Actor): void {
  if (identity.getAttributeValue(IDENTITY_ATTRIBUTES.fundingKey) !== 'true') {
    throw new ForbiddenActorError(`${describe(actor)} holds no funding key`);
  }
}

export function requireArbiter(actor: Actor): void {
  if (actor.role !== 'arbiter' || actor.organization !== OVERSIGHT) {
    throw new ForbiddenActorError(`${describe(actor)} is not an arbiter of ${OVERSIGHT}`);
  }
}

/** Risk flags are raised by Oversight's risk service alone (riskFlags.ts). */
export function requireRiskService(actor: Actor): void {
  if (actor.role !== 'risk' || actor.organization !== OVERSIGHT) {
    throw new ForbiddenActorError(`${describe(actor)} is not the risk service of ${OVERSIGHT}`);
  }
}

/** A flag is cleared by the risk service that raised it or by an arbiter, both of Oversight. */
export function requireRiskClearer(actor: Actor): void {
  const clearer = actor.role === 'risk' || actor.role === 'arbiter';
  if (!clearer || actor.organization !== OVERSIGHT) {
    throw new ForbiddenActorError(
      `${describe(actor)} is neither the risk service nor an arbiter of ${OVERSIGHT}`,
    );
  }
}

/** Channel governance (the settings that bound every trade) belongs to the neutral desk's admin. */
export function requireOversightAdmin(actor: Actor): void {
  if (actor.role !== 'admin' || actor.organization !== OVERSIGHT) {
    throw new ForbiddenActorError(`${describe(actor)} is not an admin of ${OVERSIGHT}`);
  }
}

/**
 * Marketplace governance (the registry) is proposed by an admin of any member org; what makes it
 * binding is the endorsement of a majority of the channel's orgs, which the chaincode-wide policy
 * asks of every registry write (ledger/marketplaceRegistryStore.ts).
 */
export function requireOrgAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenActorError(`${describe(actor)} is not an org admin`);
}

/** The operators who act on a party's behalf for personal-data requests: its marketplace backend or admin. */
export function requirePartyOperator(escrow: Escrow, actor: Actor): void {
  const operator = actor.role === 'marketplace' || actor.role === 'admin';
  if (!operator || !isOfPartyMarketplace(escrow, actor)) {
    throw new ForbiddenActorError(`${describe(actor)} does not operate a marketplace of ${escrow.escrowId}`);
  }
}

export function requirePrivateDetailsReader(escrow: Escrow, actor: Actor): void {
  if (isParty(escrow, actor)) return;
  requirePartyOperator(escrow, actor);
}

/**
 * Who may read an escrow through the chaincode's queries: an identity of a party's marketplace or of
 * Oversight. Another marketplace querying its own peer gets nothing of a trade it is not part of.
 */
export function requireEscrowReader(escrow: Escrow, actor: Actor): void {
  if (actor.organization !== OVERSIGHT && !isOfPartyMarketplace(escrow, actor)) {
    throw new ForbiddenActorError(`${describe(actor)} is not of a marketplace of ${escrow.escrowId}`);
  }
}

/** A list of one marketplace's escrows is for that marketplace's identities and Oversight's. */
export function requireMarketplaceReader(marketplace: Marketplace, actor: Actor): void {
  if (actor.organization !== OVERSIGHT && actor.organization !== marketplace) {
    throw new ForbiddenActorError(`${describe(actor)} may not list the escrows of ${marketplace}`);
  }
}

/** Lists across every marketplace are Oversight's alone. */
export function requireOversightReader(actor: Actor): void {
  if (actor.organization !== OVERSIGHT) {
    throw new ForbiddenActorError(`${describe(actor)} may not list escrows across marketplaces`);
  }
}
