// Obtains access tokens from the token endpoint of each org's realm, as marketplace backends (client
// credentials) and users (password grant through the public client, with a TOTP code where the realm
// demands one), over HTTPS trusting the local CA. Each demo user signs in at their own org's realm.
import {
  backendClientSecret,
  backendClients,
  demoUsers,
  localFetch,
  orgOfBackendClient,
  realmOrgs,
  realmUrlOf,
} from '@p2p-escrow/scripts';

export function tokenEndpointOf(org: string): string {
  return `${realmUrlOf(org)}/protocol/openid-connect/token`;
}

export function jwksUrlOf(org: string): string {
  return `${realmUrlOf(org)}/protocol/openid-connect/certs`;
}

export const userClientId = 'escrow-web';

/** The org whose realm issued `token` (its `iss`), read without verifying: for routing only. */
export function issuingOrgOf(token: string): string | undefined {
  const [, payload = ''] = token.split('.');
  try {
    const { iss } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown };
    return realmOrgs.find((org) => realmUrlOf(org) === iss);
  } catch {
    return undefined;
  }
}

/** The org of a demo user (the realm they sign in at). */
export function orgOfUser(username: string): string {
  const user = demoUsers().find((candidate) => candidate.username === username);
  if (user === undefined) throw new Error(`no demo user ${username}: name the realm's org`);
  return user.marketplace;
}

export class TokenRequestError extends Error {
  readonly code = 'TOKEN_REQUEST_REFUSED';
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(`token endpoint answered ${status} ${error}`);
    this.name = 'TokenRequestError';
  }
}

async function requestToken(org: string, form: Record<string, string>): Promise<string> {
  const response = await localFetch(tokenEndpointOf(org), {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: unknown; error?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new TokenRequestError(response.status, typeof body.error === 'string' ? body.error : 'no token');
  }
  return body.access_token;
}

/** A backend's token from its own marketplace's realm. */
export function clientCredentialsToken(
  clientId: (typeof backendClients)[number],
  secret = backendClientSecret(clientId),
): Promise<string> {
  return requestToken(orgOfBackendClient(clientId), {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });
}

/** A user's token from `org`'s realm (a demo user's own org unless named). */
export function passwordToken(
  username: string,
  password: string,
  totpCode?: string,
  org = orgOfUser(username),
): Promise<string> {
  const form = { grant_type: 'password', client_id: userClientId, username, password, scope: 'openid' };
  return requestToken(org, totpCode === undefined ? form : { ...form, totp: totpCode });
}
