// Who is calling, as the gateway understands a verified Keycloak access token.
import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { ForbiddenError } from '../errors/apiError';

export const GATEWAY_ROLES = [
  'buyer',
  'seller',
  'marketplace',
  'payments',
  'arbiter',
  'auditor',
  'operator',
] as const;
export type GatewayRole = (typeof GATEWAY_ROLES)[number];

export interface Principal {
  /** Keycloak subject (user id or service account id). */
  readonly subject: string;
  /** The id the ledger knows: the username, or the client id of a service account. */
  readonly userId: string;
  /** The OAuth client the token was issued to (`azp`). */
  readonly clientId: string;
  /** The organization the user belongs to, from the `marketplace` claim. */
  readonly marketplace: string | undefined;
  readonly roles: ReadonlySet<GatewayRole>;
}

function isGatewayRole(value: unknown): value is GatewayRole {
  return typeof value === 'string' && (GATEWAY_ROLES as readonly string[]).includes(value);
}

function rolesIn(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const roles = (value as { roles?: unknown }).roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
}

const serviceAccountPrefix = 'service-account-';

/** Builds the principal from verified claims: realm roles plus the roles of the gateway's own client. */
export function principalFromClaims(claims: Record<string, unknown>, audienceClient: string): Principal {
  const subject = typeof claims['sub'] === 'string' ? claims['sub'] : '';
  const clientId = typeof claims['azp'] === 'string' ? claims['azp'] : '';
  const username = typeof claims['preferred_username'] === 'string' ? claims['preferred_username'] : '';
  const resourceAccess = claims['resource_access'];
  const clientRoles =
    typeof resourceAccess === 'object' && resourceAccess !== null
      ? rolesIn((resourceAccess as Record<string, unknown>)[audienceClient])
      : [];
  const roles = new Set([...rolesIn(claims['realm_access']), ...clientRoles].filter(isGatewayRole));
  const userId = username.startsWith(serviceAccountPrefix) || username === '' ? clientId : username;
  const marketplace = typeof claims['marketplace'] === 'string' ? claims['marketplace'] : undefined;
  return { subject, userId, clientId, marketplace, roles };
}

/** Arbiters and auditors belong to Oversight even when their token carries no marketplace claim. */
export function organizationOf(principal: Principal, role: GatewayRole): string {
  if (role === 'arbiter' || role === 'auditor') return principal.marketplace ?? OVERSIGHT;
  if (principal.marketplace === undefined)
    throw new ForbiddenError('MARKETPLACE_REQUIRED', 'the token carries no marketplace claim');
  return principal.marketplace;
}

export function hasAnyRole(principal: Principal, roles: readonly GatewayRole[]): boolean {
  return roles.some((role) => principal.roles.has(role));
}
