// End-to-end test access to the running stack: where the gateway and Keycloak listen (network/ports.json),
// real Keycloak tokens (client credentials for marketplace backends, password + TOTP for users) and a
// small HTTP client that speaks to the gateway as a partner marketplace would.
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { totp, totpStep } from './totp';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
const stateDir = process.env['P2P_STATE_DIR'] ?? path.join(repoRoot, '.state');

interface Ports {
  host: string;
  gateway: { http: number };
  keycloak: { http: number };
}

const ports = JSON.parse(fs.readFileSync(path.join(repoRoot, 'network', 'ports.json'), 'utf8')) as Ports;

// E2E_GATEWAY_URL points the tier at another gateway process (e.g. a replica of a fresh build).
export const gatewayUrl = process.env['E2E_GATEWAY_URL'] ?? `http://${ports.host}:${ports.gateway.http}`;
export const realmUrl = `http://${ports.host}:${ports.keycloak.http}/realms/p2p-escrow`;
const tokenUrl = `${realmUrl}/protocol/openid-connect/token`;

/** Demo users of network/keycloak/p2p-escrow-realm.json. */
export const USERS = {
  alice: { password: 'alice-demo-password' },
  bea: { password: 'bea-demo-password' },
  bob: { password: 'bob-demo-password' },
  amir: { password: 'amir-demo-password' },
  olivia: { password: 'olivia-demo-password', totpSecret: 'OliviaDemoTotpSecret' },
  oscar: { password: 'oscar-demo-password', totpSecret: 'OscarDemoTotpSecret0' },
} as const;
export type DemoUser = keyof typeof USERS;
export type Backend = 'marketa-backend' | 'marketb-backend';
export type Caller = DemoUser | Backend;

interface CachedToken {
  token: string;
  expiresAt: number;
}

const tokens = new Map<string, CachedToken>();
const lastTotpStep = new Map<string, number>();

async function requestToken(form: Record<string, string>): Promise<CachedToken> {
  const response = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams(form) });
  const body = (await response.json()) as {
    access_token?: string;
    expires_in?: number;
    error_description?: string;
  };
  if (!response.ok || body.access_token === undefined)
    throw new Error(
      `Keycloak refused ${form['client_id'] ?? ''}/${form['username'] ?? ''}: ${body.error_description ?? ''}`,
    );
  return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 60) * 1000 };
}

/** A one-time code Keycloak has not seen yet (it refuses a code reused within its period). */
async function freshTotp(user: string, secret: string): Promise<string> {
  while (lastTotpStep.get(user) === totpStep()) await new Promise((resolve) => setTimeout(resolve, 500));
  const step = totpStep();
  lastTotpStep.set(user, step);
  return totp(secret, step);
}

async function login(caller: Caller): Promise<CachedToken> {
  if (caller === 'marketa-backend' || caller === 'marketb-backend') {
    const secret = fs
      .readFileSync(path.join(stateDir, 'secrets', `keycloak-${caller}-secret`), 'utf8')
      .trim();
    return requestToken({ grant_type: 'client_credentials', client_id: caller, client_secret: secret });
  }
  const user: { password: string; totpSecret?: string } = USERS[caller];
  const form: Record<string, string> = {
    grant_type: 'password',
    client_id: 'escrow-web',
    username: caller,
    password: user.password,
  };
  if (user.totpSecret === undefined) return requestToken(form);
  // Keycloak refuses a code already used in its period (another login of the same user may have
  // taken it): try again with the next period's code.
  for (let attempt = 1; ; attempt++) {
    form['totp'] = await freshTotp(caller, user.totpSecret);
    try {
      return await requestToken(form);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** A valid access token of `caller`, reused while it has at least 30 s left. */
export async function tokenOf(caller: Caller): Promise<string> {
  const cached = tokens.get(caller);
  if (cached !== undefined && cached.expiresAt - Date.now() > 30_000) return cached.token;
  const fresh = await login(caller);
  tokens.set(caller, fresh);
  return fresh.token;
}

/** A real Keycloak token of the realm issued to a client without the gateway audience. */
export async function wrongAudienceToken(): Promise<string> {
  return (
    await requestToken({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: 'alice',
      password: USERS.alice.password,
    })
  ).token;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export interface RequestOptions {
  token?: string | undefined;
  idempotencyKey?: string | null;
  rawBody?: string;
  contentType?: string;
  baseUrl?: string;
}

export function newKey(): string {
  return `e2e-${crypto.randomUUID()}`;
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
  const response = await fetch(`${options.baseUrl ?? gatewayUrl}${route}`, {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON bodies are checked through `text`.
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

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

export function uniqueEscrowId(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
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

/** A second gateway process on its own port (replicas, restarts, slow commits). */
export class GatewayReplica {
  private process: ChildProcess | undefined;
  readonly url: string;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {
    const scheme = env['GATEWAY_TLS'] === '1' ? 'https' : 'http';
    this.url = `${scheme}://${ports.host}:${port}`;
  }

  private async healthy(): Promise<boolean> {
    if (this.url.startsWith('http:')) return (await fetch(`${this.url}/healthz`)).ok;
    // Only a liveness probe: the tests themselves connect trusting the gateway's CA.
    return (await httpsCall('GET', `${this.url}/healthz`, { rejectUnauthorized: false })).status === 200;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [path.join(repoRoot, 'gateway-api', 'dist', 'main.js')], {
      env: {
        ...process.env,
        GATEWAY_CONFIG_FILE: path.join(stateDir, 'gateway', 'config.json'),
        GATEWAY_PORT: String(this.port),
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: 'ignore',
    });
    this.process = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`gateway replica exited with ${String(child.exitCode)}`);
      try {
        if (await this.healthy()) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`gateway replica on ${String(this.port)} not healthy after 30s`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
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
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Non-JSON bodies are checked through `text`.
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === 'string') responseHeaders.set(name, value);
          resolve({ status: response.statusCode ?? 0, headers: responseHeaders, body, text });
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** The gateway's own PostgreSQL connection string, from its config file (tests inspect its tables). */
export function gatewayDatabaseUrl(): string {
  const config = JSON.parse(fs.readFileSync(path.join(stateDir, 'gateway', 'config.json'), 'utf8')) as {
    postgres: { connectionString: string };
  };
  return config.postgres.connectionString;
}

/** The state directory of the running stack. */
export const stackStateDir = stateDir;
