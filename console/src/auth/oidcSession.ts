// Signing in to the console: Keycloak's authorization code flow with PKCE, as a public client of the
// gateway's own realm. The verifier and state live in sessionStorage for the round trip only; the
// tokens stay in this tab's memory and sessionStorage (gone when the tab closes), never in a cookie.
import { codeChallengeOf, newCodeVerifier } from './pkce';

export interface ConsoleConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly organization: string;
}

export interface Tokens {
  readonly accessToken: string;
  readonly idToken: string | undefined;
}

/** Where the gateway serves the console (vite.config.mjs builds for it). */
const CONSOLE_BASE = '/console/';
const PENDING_KEY = 'p2p-console.pending-login';
const TOKENS_KEY = 'p2p-console.tokens';

/** Where Keycloak sends the browser back: the console's own root. */
export function redirectUri(): string {
  return new URL(CONSOLE_BASE, window.location.origin).toString();
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${CONSOLE_BASE}config.json`);
  if (!response.ok)
    throw new Error(`the console's configuration is unavailable (${String(response.status)})`);
  return (await response.json()) as ConsoleConfig;
}

/** Sends the browser to the realm's login page. */
export async function startLogin(config: ConsoleConfig): Promise<void> {
  const verifier = newCodeVerifier();
  const state = newCodeVerifier();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(`${config.issuer}/protocol/openid-connect/auth`);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri(),
    state,
    code_challenge: await codeChallengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/** On the way back from the login page: exchanges the code for tokens; null when not returning. */
export async function completeLogin(config: ConsoleConfig): Promise<Tokens | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const pending = sessionStorage.getItem(PENDING_KEY);
  if (code === null || pending === null) return null;
  sessionStorage.removeItem(PENDING_KEY);
  window.history.replaceState(null, '', redirectUri());
  const { verifier, state } = JSON.parse(pending) as { verifier: string; state: string };
  if (params.get('state') !== state)
    throw new Error('the login answer does not belong to this tab (state mismatch)');
  const response = await fetch(`${config.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error(`the realm refused the login code (${String(response.status)})`);
  const body = (await response.json()) as { access_token: string; id_token?: string };
  const tokens = { accessToken: body.access_token, idToken: body.id_token };
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  return tokens;
}

export function storedTokens(): Tokens | null {
  const stored = sessionStorage.getItem(TOKENS_KEY);
  return stored === null ? null : (JSON.parse(stored) as Tokens);
}

/** Forgets the tokens and ends the realm's session too. */
export function logout(config: ConsoleConfig, tokens: Tokens): void {
  sessionStorage.removeItem(TOKENS_KEY);
  const url = new URL(`${config.issuer}/protocol/openid-connect/logout`);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    post_logout_redirect_uri: redirectUri(),
    ...(tokens.idToken === undefined ? {} : { id_token_hint: tokens.idToken }),
  }).toString();
  window.location.assign(url.toString());
}
