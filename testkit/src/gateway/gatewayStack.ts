// End-to-end access to the running gateways, one per org: real Keycloak tokens from each caller's own
// org's realm (client credentials for marketplace backends, password + TOTP for the demo users), a
// small HTTPS client that speaks to the caller's own org's gateway as a partner marketplace would
// (trusting the local CA), and extra gateway processes configured like an org's.
import {
  demoUser,
  demoUsers,
  gatewayEnvironment,
  gatewayOrgs,
  gatewayUrl as stackGatewayUrl,
  localFetch,
  orgOfBackendClient,
  portPlan,
  repoRoot,
  serviceTlsCaFile,
  stateDir,
} from '@p2p-escrow/scripts';
import type { DatabaseConnection } from '@p2p-escrow/fabric-client';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as https from 'node:https';
import * as path from 'node:path';
import {
  clientCredentialsToken,
  issuingOrgOf,
  orgOfUser,
  passwordToken,
  tokenEndpointOf,
} from '../identity/keycloakTokens';
import { oneTimeCodes } from '../identity/totp';
import { uniqueEscrowId } from '../ledger/escrowTrade';
import { childHasEnded, endChild } from '../stack/childProcessEnd';

export { repoRoot };

// E2E_GATEWAY_URL points the tier at another gateway process (e.g. a replica of a fresh build).
const gatewayOverride = process.env['E2E_GATEWAY_URL'];

/** `org`'s gateway: every caller of that org is served there. */
export function gatewayUrlOf(org: string): string {
  return gatewayOverride ?? stackGatewayUrl(org);
}

/** MarketA's gateway: where a request without a token (or with a token of no realm) goes. */
export const gatewayUrl = gatewayUrlOf('MarketA');

/** The orgs with a gateway of their own. */
export const GATEWAY_ORGS: readonly string[] = gatewayOrgs;

/** Where a request with `token` goes: the gateway of the org whose realm issued it. */
export function gatewayUrlFor(token: string | undefined): string {
  const org = token === undefined ? undefined : issuingOrgOf(token);
  return org === undefined ? gatewayUrl : gatewayUrlOf(org);
}

/** The demo users of the realm file, by username; their passwords and TOTP secrets come from it too. */
export const USERS: readonly string[] = demoUsers().map((user) => user.username);
/** The demo users the tests act as (each must be in the realm file; `tokenOf` fails otherwise). */
export type DemoUserName = 'alice' | 'bea' | 'bob' | 'amir' | 'olivia' | 'oscar';
export type Backend = 'marketa-backend' | 'marketb-backend';
export type Caller = DemoUserName | Backend;

/** The org whose realm a caller signs in at, and whose gateway serves them. */
export function orgOfCaller(caller: Caller): string {
  return caller === 'marketa-backend' || caller === 'marketb-backend'
    ? orgOfBackendClient(caller)
    : orgOfUser(caller);
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const tokens = new Map<string, CachedToken>();

/** When a token expires, from its own `exp` claim. */
function cached(token: string): CachedToken {
  const [, payload = ''] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 60_000;
  return { token, expiresAt };
}

async function login(caller: Caller): Promise<string> {
  if (caller === 'marketa-backend' || caller === 'marketb-backend') return clientCredentialsToken(caller);
  const user = demoUser(caller);
  const totpKey = user.totpSecret;
  if (totpKey === undefined) return passwordToken(user.username, user.password);
  // Keycloak accepts a code once; another process (an earlier test tier) may have used this step's
  // code: try again with the next step's code.
  for (let attempt = 1; ; attempt++) {
    try {
      return await passwordToken(user.username, user.password, await oneTimeCodes.next(caller, totpKey));
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Sign-ins under way, one per caller: with brute-force protection on, Keycloak refuses concurrent
 * logins of one user (400 invalid_grant to all but one), so callers asking at once share one.
 */
const signingIn = new Map<string, Promise<CachedToken>>();

/** A valid access token of `caller`, reused while it has at least 30 s left. */
export async function tokenOf(caller: Caller): Promise<string> {
  const known = tokens.get(caller);
  if (known !== undefined && known.expiresAt - Date.now() > 30_000) return known.token;
  let pending = signingIn.get(caller);
  if (pending === undefined) {
    pending = login(caller)
      .then(cached)
      .finally(() => signingIn.delete(caller));
    signingIn.set(caller, pending);
  }
  const fresh = await pending;
  tokens.set(caller, fresh);
  return fresh.token;
}

/** A real Keycloak token of MarketA's realm, issued to a client without the gateway audience. */
export async function wrongAudienceToken(): Promise<string> {
  const alice = demoUser('alice');
  const form = {
    grant_type: 'password',
    client_id: 'admin-cli',
    username: 'alice',
    password: alice.password,
  };
  const response = await localFetch(tokenEndpointOf('MarketA'), {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: unknown };
  if (!response.ok || typeof body.access_token !== 'string')
    throw new Error(`Keycloak refused admin-cli/alice (${String(response.status)})`);
  return body.access_token;
}

export interface ApiResponse {
  status: number;
  headers: Pick<Headers, 'get' | 'has'>;
  body: Record<string, unknown>;
  text: string;
}

export interface RequestOptions {
  token?: string | undefined;
  idempotencyKey?: string | null;
  rawBody?: string;
  contentType?: string;
  /** Another gateway than the one of the token's org (a replica, another org's to see it refuse). */
  baseUrl?: string;
}

export function newKey(): string {
  return `e2e-${crypto.randomUUID()}`;
}

function parsedBody(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON bodies are checked through `text`.
    return {};
  }
}

export async function call(
  method: string,
  route: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  if (method === 'POST' && options.idempotencyKey !== null)
    headers['idempotency-key'] = options.idempotencyKey ?? newKey();
  const response = await localFetch(`${options.baseUrl ?? gatewayUrlFor(options.token)}${route}`, {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parsedBody(text), text };
}

/** A fetch for clients that hand it a Request (the partner SDK), over `localFetch`: it trusts the local CA. */
export const localRequestFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  return localFetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(bodyless ? {} : { body: await request.arrayBuffer() }),
  });
};

/** Calls the gateway as `caller` with a fresh Keycloak token. */
export async function as(
  caller: Caller,
  method: string,
  route: string,
  body?: unknown,
  options: RequestOptions = {},
) {
  return call(method, route, body, { ...options, token: await tokenOf(caller) });
}

/** A create request: buyer alice@MarketA, seller bea@MarketB unless overridden. */
export function createRequest(
  escrowId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Date.now();
  return {
    escrowId,
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    feeBps: 250,
    items: [
      { description: 'Camera', price: '12000' },
      { description: 'Strap', price: '345' },
    ],
    fundBy: new Date(now + 86_400_000).toISOString(),
    shipBy: new Date(now + 7 * 86_400_000).toISOString(),
    inspectionPeriodSeconds: 3600,
    ...overrides,
  };
}

/**
 * A fresh escrow created through MarketA's gateway by its backend (`createRequest`'s parties), for a
 * test that needs one committed transaction; anything but 201 throws with the gateway's answer.
 */
export async function createdByMarketA(purpose: string) {
  const created = await as(
    'marketa-backend',
    'POST',
    '/v1/escrows',
    createRequest(uniqueEscrowId(purpose, 'e2e')),
  );
  if (created.status !== 201)
    throw new Error(`the create answered ${String(created.status)}: ${created.text}`);
  return created;
}

export interface ReplicaOptions {
  /** Extra Node.js options, e.g. `--cpu-prof` to see where a replica spends its time. */
  readonly nodeArgs?: readonly string[];
  /** The org whose gateway it replicates (MarketA unless named): it serves that org's callers only. */
  readonly org?: string;
}

/**
 * A further gateway process on its own port (replicas, restarts, slow commits), configured as the
 * stack's gateway of its org is (HTTPS), with `env` overriding P2P_GATEWAY_* settings.
 */
export class GatewayReplica {
  private process: ChildProcess | undefined;
  readonly url: string;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
    private readonly options: ReplicaOptions = {},
  ) {
    const scheme = env['P2P_GATEWAY_TLS'] === '0' ? 'http' : 'https';
    this.url = `${scheme}://${portPlan.host}:${String(port)}`;
  }

  /** The process started (a cluster primary when P2P_GATEWAY_WORKERS is above 1); none before start. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  private async healthy(): Promise<boolean> {
    return (await localFetch(`${this.url}/healthz`)).ok;
  }

  async start(): Promise<void> {
    const main = path.join(repoRoot, 'gateway-api', 'dist', 'main.js');
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), main], {
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        ...gatewayEnvironment(this.options.org ?? 'MarketA'),
        P2P_GATEWAY_PORT: String(this.port),
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: 'ignore',
    });
    this.process = child;
    // As long as the runner gives a gateway to start.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (childHasEnded(child))
        throw new Error(`gateway replica exited with ${String(child.exitCode ?? child.signalCode)}`);
      try {
        if (await this.healthy()) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`gateway replica on ${String(this.port)} not healthy after 60s`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined) return;
    await endChild(child);
    this.process = undefined;
  }
}

export interface HttpsCallOptions {
  /** PEM of the CA to trust; without it the system's roots. */
  readonly ca?: string;
  readonly rejectUnauthorized?: boolean;
  readonly token?: string;
}

/** One request over HTTPS with node:https (global fetch cannot be told to trust a private CA). */
export function httpsCall(method: string, url: string, options: HttpsCallOptions = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    const request = https.request(
      url,
      {
        method,
        headers,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        rejectUnauthorized: options.rejectUnauthorized ?? true,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === 'string') responseHeaders.set(name, value);
          resolve({
            status: response.statusCode ?? 0,
            headers: responseHeaders,
            body: parsedBody(text),
            text,
          });
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** An org's gateway's own PostgreSQL role and CA, as the runner hands them (tests inspect its tables). */
export function gatewayDatabase(org = 'MarketA'): DatabaseConnection {
  const { P2P_DATABASE_URL: url, P2P_DATABASE_CA: caFile } = gatewayEnvironment(org);
  if (url === undefined || caFile === undefined)
    throw new Error('the gateway environment names no P2P_DATABASE_URL or P2P_DATABASE_CA');
  return { url, caFile };
}

/** The local CA a gateway serving HTTPS issues its certificates from (trust it to call it). */
export const gatewayTlsCaFile = serviceTlsCaFile;

/** The state directory of the running stack. */
export const stackStateDir = stateDir;
