// Who is who on the channel: marketplaces, their MSP IDs, the CA attribute names and the roles
// each organization may issue. Every identity rule reads these tables, never string literals.

export const MARKETPLACES = ['MarketA', 'MarketB'] as const;
export type Marketplace = (typeof MARKETPLACES)[number];

export const OVERSIGHT = 'Oversight';
export type Organization = Marketplace | typeof OVERSIGHT;
export const ORGANIZATIONS: readonly Organization[] = [...MARKETPLACES, OVERSIGHT];

const MSP_ID_OF: Readonly<Record<Organization, string>> = {
  MarketA: 'MarketAMSP',
  MarketB: 'MarketBMSP',
  Oversight: 'OversightMSP',
};

export function mspIdOf(organization: Organization): string {
  return MSP_ID_OF[organization];
}

export function organizationOfMspId(mspId: string): Organization | undefined {
  return ORGANIZATIONS.find((organization) => MSP_ID_OF[organization] === mspId);
}

export function isMarketplace(value: string): value is Marketplace {
  return (MARKETPLACES as readonly string[]).includes(value);
}

/** Names of the ecert attributes the Fabric CAs put in every enrolled identity. */
export const IDENTITY_ATTRIBUTES = {
  role: 'role',
  userId: 'userId',
  marketplace: 'marketplace',
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
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

// Market-side roles exist only in marketplace orgs, the arbitration desk only in Oversight;
// operational roles may be held by any organization.
const ROLES_OF_ORGANIZATION: Readonly<Record<'marketplace' | 'oversight', readonly Role[]>> = {
  marketplace: ['buyer', 'seller', 'marketplace', 'payments', 'carrier', 'keeper', 'admin'],
  oversight: ['arbiter', 'auditor', 'carrier', 'keeper', 'admin'],
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
