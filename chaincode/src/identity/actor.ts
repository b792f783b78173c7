// The actor of a transaction, read from the client identity: MSP ID plus the role, userId and
// marketplace attributes the org's CA put in the certificate. Pure: it sees only an interface.
import {
  IDENTITY_ATTRIBUTES,
  OVERSIGHT,
  type Organization,
  type Role,
  isRole,
  mspIdOf,
  roleAllowedIn,
} from '../config/identityConfig';
import { type MarketplaceRegistry, entryOfMspId } from '../config/marketplaceRegistry';
import {
  InvalidIdentityError,
  MarketplaceSuspendedError,
  MarketplacesNotRegisteredError,
} from '../errors/escrowErrors';
import { LIMITS } from '../validation/fields';

export interface Actor {
  readonly mspId: string;
  readonly organization: Organization;
  readonly role: Role;
  readonly userId: string;
}

/** The part of fabric-shim's ClientIdentity the chaincode relies on. */
export interface IdentitySource {
  getMSPID(): string;
  getAttributeValue(name: string): string | null;
}

const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** Oversight is fixed; a marketplace is whatever the registry holds under the MSP ID. */
function organizationOf(mspId: string, registry: MarketplaceRegistry | undefined): Organization {
  if (mspId === mspIdOf(OVERSIGHT)) return OVERSIGHT;
  if (registry === undefined)
    throw new MarketplacesNotRegisteredError(`MSP ${mspId}: no marketplace is registered on the channel yet`);
  const entry = entryOfMspId(registry, mspId);
  if (entry === undefined)
    throw new InvalidIdentityError(`MSP ${mspId} is not a member of the escrow network`);
  return entry.name;
}

/**
 * The caller, checked against the marketplace registry (undefined before the founding registration):
 * every identity of a suspended marketplace is refused, whatever its role.
 */
export function actorFromIdentity(
  identity: IdentitySource,
  registry: MarketplaceRegistry | undefined,
): Actor {
  const mspId = identity.getMSPID();
  const organization = organizationOf(mspId, registry);

  const marketplace = identity.getAttributeValue(IDENTITY_ATTRIBUTES.marketplace);
  if (marketplace !== organization) {
    throw new InvalidIdentityError(
      `attribute ${IDENTITY_ATTRIBUTES.marketplace} does not match MSP ${mspId}`,
    );
  }
  const role = identity.getAttributeValue(IDENTITY_ATTRIBUTES.role);
  if (role === null || !isRole(role))
    throw new InvalidIdentityError(`attribute ${IDENTITY_ATTRIBUTES.role} is missing or unknown`);
  if (!roleAllowedIn(role, organization))
    throw new InvalidIdentityError(`role ${role} is not issued by ${organization}`);

  const userId = identity.getAttributeValue(IDENTITY_ATTRIBUTES.userId);
  if (userId === null || userId.length > LIMITS.idLength || !USER_ID_PATTERN.test(userId)) {
    throw new InvalidIdentityError(`attribute ${IDENTITY_ATTRIBUTES.userId} is missing or malformed`);
  }
  if (registry !== undefined && entryOfMspId(registry, mspId)?.status === 'suspended')
    throw new MarketplaceSuspendedError(organization, `is suspended: ${role} ${userId} may not act`);
  return { mspId: mspIdOf(organization), organization, role, userId };
}
