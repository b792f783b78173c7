// What the console reads from its own access token: who signed in and with which realm roles, to
// choose the pages to offer. It trusts nothing here for access: the gateway verifies the token on
// every call and answers each role with only what the API lets that role see.

/** The pages of the console, one per kind of user. */
export type ConsoleRole = 'auditor' | 'arbiter' | 'marketplace' | 'operator';

export interface SignedInUser {
  readonly username: string;
  readonly roles: readonly string[];
  readonly marketplace: string | undefined;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

function base64UrlText(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
  return new TextDecoder().decode(bytes);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Reads the claims of a JWT's payload without verifying it (the gateway does that). */
export function signedInUserOf(accessToken: string): SignedInUser {
  const payload = accessToken.split('.')[1];
  if (payload === undefined) throw new Error('the access token is not a JWT');
  const claims = JSON.parse(base64UrlText(payload)) as Record<string, unknown>;
  const realmAccess = claims['realm_access'] as { roles?: unknown } | undefined;
  const username = claims['preferred_username'] ?? claims['sub'];
  const marketplace = claims['marketplace'];
  const expiresAt = claims['exp'];
  return {
    username: typeof username === 'string' ? username : 'unknown',
    roles: strings(realmAccess?.roles),
    marketplace: typeof marketplace === 'string' ? marketplace : undefined,
    expiresAt: typeof expiresAt === 'number' ? expiresAt : 0,
  };
}

/**
 * Which realm role opens which page: a user sees the pages of the roles they hold, in this order, each
 * once. Auditors also see the consortium's health: its ledger half needs their ledger identity.
 */
const PAGE_OF_ROLE: readonly (readonly [string, ConsoleRole])[] = [
  ['auditor', 'auditor'],
  ['auditor', 'operator'],
  ['arbiter', 'arbiter'],
  ['marketplace', 'marketplace'],
  ['operator', 'operator'],
];

export function consoleRolesOf(user: SignedInUser): ConsoleRole[] {
  return [...new Set(PAGE_OF_ROLE.filter(([role]) => user.roles.includes(role)).map(([, page]) => page))];
}
