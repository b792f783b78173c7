// The actor of a transaction, read from the client identity: MSP ID plus the role, userId and
// marketplace attributes the org's CA put in the certificate. Pure: it sees only an interface.
import {
  IDENTITY_ATTRIBUTES,
  type Organization,
  type Role,
  isRole,
  mspIdOf,
  organizationOfMspId,
  roleAllowedIn,
} from '../config/identityConfig';
import { InvalidIdentityError } from '../errors/escrowErrors';
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

export function actorFromIdentity(identity: IdentitySource): Actor {
  const mspId = identity.getMSPID();
  const organization = organizationOfMspId(mspId);
  if (organization === undefined)
    throw new InvalidIdentityError(`MSP ${mspId} is not a member of the escrow network`);

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
  return { mspId: mspIdOf(organization), organization, role, userId };
}
