// Who is who on the channel: Oversight (the fixed arbitration desk), how a marketplace's name and
// MSP ID relate, the CA attribute names and the roles each organization may issue. Which
// marketplaces exist, and whether each is active, is ledger state (the marketplace registry,
// config/marketplaceRegistry.ts), never a list in this code.

/** A marketplace's name, e.g. `MarketA`; whether it is one is decided by the registry at run time. */
export type Marketplace = string;
/** A marketplace or Oversight. */
export type Organization = string;

export const OVERSIGHT = 'Oversight';

const MSP_ID_SUFFIX = 'MSP';
export const ORGANIZATION_NAME_PATTERN = /^[A-Z][A-Za-z0-9]{0,30}$/;

/**
 * The consortium's naming rule: an org named `X` signs with MSP `XMSP`. The registry refuses an
 * entry that breaks it, because an escrow record names its parties' marketplaces only, and the
 * keys' endorsement policies and the clients' choice of endorsers derive MSP IDs from those names.
 */
export function mspIdOf(organization: Organization): string {
  return `${organization}${MSP_ID_SUFFIX}`;
}

/** The organization an MSP ID names by the naming rule, or undefined; membership is the registry's. */
export function organizationOfMspId(mspId: string): Organization | undefined {
  if (!mspId.endsWith(MSP_ID_SUFFIX)) return undefined;
  const name = mspId.slice(0, -MSP_ID_SUFFIX.length);
  return isOrganizationName(name) ? name : undefined;
}

/** The shape of an organization's name; not whether it is on the channel. */
export function isOrganizationName(value: string): boolean {
  return ORGANIZATION_NAME_PATTERN.test(value);
}

/** A name a marketplace may carry (any organization name but Oversight's); registration is checked apart. */
export function isMarketplace(value: string): value is Marketplace {
  return isOrganizationName(value) && value !== OVERSIGHT;
}

/** Names of the ecert attributes the Fabric CAs put in every enrolled identity. */
export const IDENTITY_ATTRIBUTES = {
  role: 'role',
  userId: 'userId',
  marketplace: 'marketplace',
  /**
   * `true` on a marketplace's payments service identity alone, registered at start by its CA's
   * bootstrap registrar. The gateways' registrar may assign role, userId and marketplace only, so a
   * `payments` identity a gateway enrolls (for settlements) carries no funding key and cannot fund.
   */
  fundingKey: 'fundingKey',
} as const;

export const ROLES = [
  'buyer',
  'seller',
  'marketplace',
  'payments',
  'arbiter',
  'auditor',
  'carrier',
  'keeper',
  'admin',
  'risk',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

// Market-side roles exist only in marketplace orgs, the arbitration desk and the risk service (which
// watches every marketplace's escrows at once) only in Oversight; operational roles may be held by
// any organization.
const ROLES_OF_ORGANIZATION: Readonly<Record<'marketplace' | 'oversight', readonly Role[]>> = {
  marketplace: ['buyer', 'seller', 'marketplace', 'payments', 'carrier', 'keeper', 'admin'],
  oversight: ['arbiter', 'auditor', 'carrier', 'keeper', 'admin', 'risk'],
};

export function roleAllowedIn(role: Role, organization: Organization): boolean {
  const kind = organization === OVERSIGHT ? 'oversight' : 'marketplace';
  return ROLES_OF_ORGANIZATION[kind].includes(role);
}

/**
 * Carrier organizations trusted on the buyer's side besides the buyer's own marketplace: neutral
 * parties whose delivery confirmation starts any buyer's inspection window.
 */
export const NEUTRAL_CARRIER_ORGANIZATIONS: readonly Organization[] = [OVERSIGHT];

/**
 * Whose `carrier` identities may confirm delivery of a trade: the buyer's marketplace and the
 * neutral carrier orgs, never the seller's marketplace (it would start the window that ends in its
 * own seller's payout). A same-marketplace trade therefore needs a neutral carrier or the buyer.
 */
export function trustedCarrierOrganizations(buyer: Marketplace, seller: Marketplace): Organization[] {
  return [buyer, ...NEUTRAL_CARRIER_ORGANIZATIONS].filter((organization) => organization !== seller);
}
