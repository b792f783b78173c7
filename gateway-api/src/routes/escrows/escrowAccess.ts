// Who may see and act on an escrow at the gateway, and which Fabric role identity signs for them.
// The chaincode enforces the escrow rules again; this layer refuses early and keeps reads private
// to the parties, their marketplaces, arbiters and auditors.
import type { Party } from '@p2p-escrow/chaincode';
import { requireAnyRole } from '../../auth/authenticate';
import { GATEWAY_ROLES, organizationOf, type GatewayRole, type Principal } from '../../auth/principal';
import { ForbiddenError } from '../../errors/apiError';
import type { EscrowParties } from '../../fabric/escrowPartiesCache';
import type { LedgerCaller } from '../../fabric/gatewayCache';
import type { IdentityResolver } from '../../identity/identityResolver';

/** Every role but the operator's, which runs the system and reads no escrow. */
export const READ_ROLES: readonly GatewayRole[] = GATEWAY_ROLES.filter((role) => role !== 'operator');
const OVERSEERS: readonly GatewayRole[] = ['arbiter', 'auditor'];

export function isOverseer(principal: Principal): boolean {
  return OVERSEERS.some((role) => principal.roles.has(role));
}

export type { EscrowParties };

export function isParty(principal: Principal, party: Party): boolean {
  return principal.marketplace === party.marketplace && principal.userId === party.userId;
}

/** The first of `preferred` the caller holds; callers check the roles first. */
export function firstHeld(principal: Principal, preferred: readonly GatewayRole[]): GatewayRole {
  requireAnyRole(principal, preferred);
  const role = preferred.find((candidate) => principal.roles.has(candidate));
  if (role === undefined) throw new Error('unreachable: requireAnyRole passed');
  return role;
}

export function callerAs(
  identities: IdentityResolver,
  principal: Principal,
  role: GatewayRole,
): Promise<LedgerCaller> {
  return identities.resolve({ org: organizationOf(principal, role), userId: principal.userId, role });
}

/** A read identity for the caller: their first role that exists on the ledger. */
export function readerFor(identities: IdentityResolver, principal: Principal): Promise<LedgerCaller> {
  return callerAs(identities, principal, firstHeld(principal, READ_ROLES));
}

/** Parties see their escrows, marketplace identities their marketplace's, arbiters and auditors all. */
export function canSee(principal: Principal, escrow: EscrowParties): boolean {
  if (isOverseer(principal)) return true;
  const parties = [escrow.buyer, escrow.seller];
  if (
    (principal.roles.has('buyer') || principal.roles.has('seller')) &&
    parties.some((party) => isParty(principal, party))
  )
    return true;
  return (
    (principal.roles.has('marketplace') || principal.roles.has('payments')) &&
    parties.some((party) => party.marketplace === principal.marketplace)
  );
}

export function requireVisible(principal: Principal, escrow: EscrowParties): void {
  if (!canSee(principal, escrow))
    throw new ForbiddenError(
      'ESCROW_ACCESS_DENIED',
      `escrow ${escrow.escrowId} is not visible to this caller`,
    );
}

/**
 * The role to act with on an escrow: the party role matching the caller's side when they are a
 * party, else the first of `fallback` they hold (e.g. a marketplace cancelling after fund-by).
 */
export function actingRole(
  principal: Principal,
  escrow: EscrowParties,
  allowed: readonly GatewayRole[],
): GatewayRole {
  requireAnyRole(principal, allowed);
  if (allowed.includes('seller') && principal.roles.has('seller') && isParty(principal, escrow.seller))
    return 'seller';
  if (allowed.includes('buyer') && principal.roles.has('buyer') && isParty(principal, escrow.buyer))
    return 'buyer';
  return firstHeld(principal, allowed);
}
