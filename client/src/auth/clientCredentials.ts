// OAuth 2.0 client credentials (RFC 6749 §4.4) at the marketplace realm's token endpoint: one token
// reused until shortly before it expires, then one refresh shared by every caller waiting for it.
import { ClientError } from '../errors/clientError';

export interface ClientCredentialsOptions {
  /** The realm's token endpoint, e.g. `https://127.0.0.1:18080/realms/p2p-marketa/protocol/openid-connect/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** A token is refreshed this long before it expires, so no request leaves with a dying token. */
  readonly refreshMarginSeconds?: number;
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests pass their own clock. */
  readonly now?: () => number;
}

/** Supplies a bearer token for each request. */
export interface TokenSource {
  token(): Promise<string>;
}

interface HeldToken {
  readonly accessToken: string;
  readonly refreshAt: number;
}

interface TokenResponse {
  readonly access_token?: unknown;
  readonly expires_in?: unknown;
  readonly error?: unknown;
  readonly error_description?: unknown;
}

export class ClientCredentialsTokens implements TokenSource {
  private held: HeldToken | undefined;
  private pending: Promise<HeldToken> | undefined;
  private readonly marginMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.marginMs = (options.refreshMarginSeconds ?? 30) * 1000;
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    if (this.held !== undefined && this.now() < this.held.refreshAt) return this.held.accessToken;
    // Concurrent callers share one request to the token endpoint.
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    this.held = await this.pending;
    return this.held.accessToken;
  }

  /** Forgets the held token (e.g. after the gateway answered 401), so the next call fetches one. */
  invalidate(): void {
    this.held = undefined;
  }

  private async request(): Promise<HeldToken> {
    const requestedAt = this.now();
    const response = await this.fetchFn(this.options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as TokenResponse;
    if (!response.ok || typeof body.access_token !== 'string') {
      const reason = typeof body.error === 'string' ? body.error : 'no access_token';
      throw new ClientError('TOKEN_REQUEST_FAILED', `token endpoint answered ${response.status} ${reason}`);
    }
    const lifetimeMs = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 60_000;
    // A token shorter-lived than twice the margin is reused for half its life instead.
    const margin = Math.min(this.marginMs, lifetimeMs / 2);
    return { accessToken: body.access_token, refreshAt: requestedAt + lifetimeMs - margin };
  }
}

/** A fixed token (a user's, obtained by the partner's own login flow). */
export function staticToken(accessToken: string): TokenSource {
  return { token: () => Promise.resolve(accessToken) };
}
