// An arbiter's token must prove a one-time code. Keycloak's realm admin can mint an arbiter token
// without one: by impersonating the arbiter, or through a client whose direct-grant flow skips TOTP.
// The gateway refuses both (401 SECOND_FACTOR_REQUIRED), while the arbiter's own login still works.
import { keycloakUrl, realmNameOf } from '@p2p-escrow/scripts';
import {
  as,
  call,
  demoUser,
  keycloakAdminToken as adminToken,
  localFetch,
  realmAdminApi,
  tokenEndpointOf,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';

// Arbiters and auditors are users of Oversight's realm.
const realmName = realmNameOf('Oversight');
const adminApi = realmAdminApi('Oversight');

/** The realm's admin REST API with the master admin's token. */
async function admin(token: string, method: string, route: string, body?: unknown): Promise<Response> {
  const response = await localFetch(`${adminApi}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    redirect: 'manual',
  });
  if (response.status >= 400)
    throw new Error(`${method} ${route}: ${String(response.status)} ${await response.text()}`);
  return response;
}

async function adminJson<T>(token: string, route: string): Promise<T> {
  return (await (await admin(token, 'GET', route)).json()) as T;
}

/** A top-level direct-grant flow with username and password only: what an admin could bind to a client. */
async function passwordOnlyFlow(token: string, alias: string): Promise<string> {
  await admin(token, 'POST', '/authentication/flows', {
    alias,
    description: 'password only (test of the gateway second-factor rule)',
    providerId: 'basic-flow',
    topLevel: true,
    builtIn: false,
  });
  for (const provider of ['direct-grant-validate-username', 'direct-grant-validate-password'])
    await admin(token, 'POST', `/authentication/flows/${alias}/executions/execution`, { provider });
  const executions = await adminJson<Record<string, unknown>[]>(
    token,
    `/authentication/flows/${alias}/executions`,
  );
  for (const execution of executions)
    await admin(token, 'PUT', `/authentication/flows/${alias}/executions`, {
      ...execution,
      requirement: 'REQUIRED',
    });
  const flows = await adminJson<{ id: string; alias: string }[]>(token, '/authentication/flows');
  const flow = flows.find((candidate) => candidate.alias === alias);
  if (flow === undefined) throw new Error(`flow ${alias} not found`);
  return flow.id;
}

function userToken(form: Record<string, string>): Promise<Response> {
  return localFetch(tokenEndpointOf('Oversight'), { method: 'POST', body: new URLSearchParams(form) });
}

async function accessTokenOf(response: Response): Promise<string> {
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (body.access_token === undefined)
    throw new Error(`no token: ${String(response.status)} ${String(body.error)}`);
  return body.access_token;
}

/** Impersonates `username` as the realm admin, then signs in to escrow-web with that session (PKCE). */
async function impersonatedToken(token: string, username: string): Promise<string> {
  const [user] = await adminJson<{ id: string }[]>(token, `/users?exact=true&username=${username}`);
  if (user === undefined) throw new Error(`no user ${username}`);
  const impersonation = await admin(token, 'POST', `/users/${user.id}/impersonation`);
  const cookie = impersonation.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://127.0.0.1/callback';
  const authorize = new URL(`${keycloakUrl}/realms/${realmName}/protocol/openid-connect/auth`);
  for (const [name, value] of Object.entries({
    client_id: 'escrow-web',
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: crypto.randomUUID(),
  }))
    authorize.searchParams.set(name, value);
  const redirected = await localFetch(authorize.toString(), { headers: { cookie }, redirect: 'manual' });
  const location = redirected.headers.get('location') ?? '';
  const code = new URL(location, keycloakUrl).searchParams.get('code');
  if (code === null)
    throw new Error(`the impersonated session did not sign in (${String(redirected.status)} ${location})`);
  return accessTokenOf(
    await userToken({
      grant_type: 'authorization_code',
      client_id: 'escrow-web',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  );
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('gateway e2e: arbiter and auditor tokens prove a second factor', function () {
  this.timeout(120_000);
  const suffix = crypto.randomUUID().slice(0, 8);
  const flowAlias = `password-only-${suffix}`;
  const clientId = `password-only-${suffix}`;
  let token: string;
  let flowId: string | undefined;
  let clientUuid: string | undefined;

  before(async () => {
    token = await adminToken();
  });

  after(async () => {
    token = await adminToken();
    if (clientUuid !== undefined) await admin(token, 'DELETE', `/clients/${clientUuid}`);
    if (flowId !== undefined) await admin(token, 'DELETE', `/authentication/flows/${flowId}`);
  });

  it('refuses an arbiter token from a client whose flow skips TOTP, with 401 SECOND_FACTOR_REQUIRED', async () => {
    flowId = await passwordOnlyFlow(token, flowAlias);
    const created = await admin(token, 'POST', '/clients', {
      clientId,
      publicClient: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: true,
      fullScopeAllowed: true,
      authenticationFlowBindingOverrides: { direct_grant: flowId },
      protocolMappers: [
        {
          name: 'escrow-gateway audience',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: { 'included.custom.audience': 'escrow-gateway', 'access.token.claim': 'true' },
        },
        {
          name: 'authentication methods',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-amr-mapper',
          config: { 'access.token.claim': 'true' },
        },
      ],
    });
    clientUuid = (created.headers.get('location') ?? '').split('/').pop();
    const olivia = demoUser('olivia');
    const withoutCode = await accessTokenOf(
      await userToken({
        grant_type: 'password',
        client_id: clientId,
        username: 'olivia',
        password: olivia.password,
      }),
    );
    expect((claimsOf(withoutCode)['realm_access'] as { roles: string[] }).roles).to.include('arbiter');

    const refused = await call('GET', '/v1/escrows?pageSize=1', undefined, { token: withoutCode });
    expect([refused.status, refused.body['code']], refused.text).to.deep.equal([
      401,
      'SECOND_FACTOR_REQUIRED',
    ]);
    expect(refused.headers.get('content-type')).to.contain('application/problem+json');
  });

  it('refuses an arbiter token minted by an admin impersonating the arbiter', async () => {
    const impersonated = await impersonatedToken(token, 'olivia');
    expect((claimsOf(impersonated)['realm_access'] as { roles: string[] }).roles).to.include('arbiter');

    const refused = await call('GET', '/v1/escrows?pageSize=1', undefined, { token: impersonated });
    expect([refused.status, refused.body['code']], refused.text).to.deep.equal([
      401,
      'SECOND_FACTOR_REQUIRED',
    ]);
  });

  it("accepts the arbiter's and the auditor's own logins with password and TOTP", async () => {
    for (const user of ['olivia', 'oscar'] as const) {
      const listed = await as(user, 'GET', '/v1/escrows?pageSize=1');
      expect(listed.status, listed.text).to.equal(200);
    }
  });
});
