// Named access rules. Each guard either returns normally or throws FORBIDDEN_ACTOR; the
// predicates beside them let rules combine ("the buyer, or anyone after the window").
import {
  type Marketplace,
  OVERSIGHT,
  type Role,
  trustedCarrierOrganizations,
} from '../config/identityConfig';
import { ForbiddenActorError } from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import type { Escrow, Party } from './escrow';

interface Parties {
  readonly buyer: Party;
  readonly seller: Party;
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

export function requireArbiter(actor: Actor): void {
  if (actor.role !== 'arbiter' || actor.organization !== OVERSIGHT) {
    throw new ForbiddenActorError(`${describe(actor)} is not an arbiter of ${OVERSIGHT}`);
  }
}

/** Channel governance (the settings that bound every trade) belongs to the neutral desk's admin. */
export function requireOversightAdmin(actor: Actor): void {
  if (actor.role !== 'admin' || actor.organization !== OVERSIGHT) {
    throw new ForbiddenActorError(`${describe(actor)} is not an admin of ${OVERSIGHT}`);
  }
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
