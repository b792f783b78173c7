// The Fabric identity a gateway user signs with: one per (marketplace, user, chaincode role), because
// an enrollment certificate carries exactly one `role` attribute.

export interface FabricRoleIdentity {
  /** The org whose CA enrolls the identity and whose peer the gateway goes through. */
  readonly org: string;
  readonly userId: string;
  readonly role: string;
}

export function identityKeyOf(identity: FabricRoleIdentity): string {
  return `${identity.org}/${identity.userId}/${identity.role}`;
}

/** The enrollment ID at the org's CA; distinct from the ids the network bootstrap registers. */
export function enrollmentIdOf(identity: FabricRoleIdentity): string {
  return `gw.${identity.role}.${identity.userId}`;
}
