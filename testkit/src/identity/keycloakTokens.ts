// Obtains access tokens from the realm's token endpoint, as marketplace backends (client credentials)
// and users (password grant through the public client, with a TOTP code where the realm demands one),
// over HTTPS trusting the local CA.
import { backendClientSecret, backendClients, localFetch, realmUrl } from '@p2p-escrow/scripts';

export const tokenEndpoint = `${realmUrl}/protocol/openid-connect/token`;
export const jwksUrl = `${realmUrl}/protocol/openid-connect/certs`;
export const userClientId = 'escrow-web';

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

async function requestToken(form: Record<string, string>): Promise<string> {
  const response = await localFetch(tokenEndpoint, { method: 'POST', body: new URLSearchParams(form) });
  const body = (await response.json()) as { access_token?: unknown; error?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new TokenRequestError(response.status, typeof body.error === 'string' ? body.error : 'no token');
  }
  return body.access_token;
}

export function clientCredentialsToken(
  clientId: (typeof backendClients)[number],
  secret = backendClientSecret(clientId),
): Promise<string> {
  return requestToken({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
}

export function passwordToken(username: string, password: string, totpCode?: string): Promise<string> {
  const form = { grant_type: 'password', client_id: userClientId, username, password, scope: 'openid' };
  return requestToken(totpCode === undefined ? form : { ...form, totp: totpCode });
}
