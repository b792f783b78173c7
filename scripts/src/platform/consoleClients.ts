// The web console's public client in each peer org's realm (`escrow-console`): authorization code
// with PKCE (S256) only, redirecting to that org's gateway's /console alone. Created at every start
// through Keycloak's admin API when missing (a realm imported before the console existed gets it
// too) and its redirect URIs set again, so a changed port plan reaches Keycloak. Its tokens carry
// what the realm's user client's carry: the gateway audience, the marketplace claim and the login's
// authentication methods (`amr`, which the gateway checks for arbiters' and auditors' one-time code).
import * as fs from 'node:fs';
import { gatewayUrl } from '../gateway/gatewayDaemon';
import type { TaskSpec } from '../runner/serviceSpec';
import { keycloakUrl, keycloakServiceName, realmNameOf, realmOrgs } from './keycloak';
import { keycloakAdminToken } from './keycloakAdmin';
import { localFetch } from './localHttps';
import { realmFile } from './realm';

export const consoleClientId = 'escrow-console';
export const consoleClientsTaskName = 'console-clients';

/** Where an org's console lives: its gateway's /console. */
export function consoleUrl(org: string): string {
  return `${gatewayUrl(org)}/console/`;
}

type Json = Record<string, unknown>;

/** The protocol mappers of the realm file's user client, which the console's tokens need as well. */
function userClientMappers(): Json[] {
  const realm = JSON.parse(fs.readFileSync(realmFile, 'utf8')) as { clients?: Json[] };
  const userClient = realm.clients?.find((client) => client['clientId'] === 'escrow-web');
  if (userClient === undefined)
    throw new Error(`${realmFile} has no escrow-web client to model the console's on`);
  return (userClient['protocolMappers'] as Json[] | undefined) ?? [];
}

/** The console client of `org`'s realm, as Keycloak's admin API takes it. */
export function consoleClientOf(org: string, mappers: readonly Json[]): Json {
  return {
    clientId: consoleClientId,
    name: 'escrow console',
    description: `The web console at ${consoleUrl(org)} (public client: authorization code with PKCE)`,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: true,
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    fullScopeAllowed: true,
    redirectUris: [`${consoleUrl(org)}*`],
    webOrigins: [new URL(gatewayUrl(org)).origin],
    attributes: { 'pkce.code.challenge.method': 'S256', 'post.logout.redirect.uris': `${consoleUrl(org)}*` },
    protocolMappers: mappers,
  };
}

async function ensureConsoleClient(token: string, org: string, mappers: readonly Json[]): Promise<void> {
  const clients = `${keycloakUrl}/admin/realms/${encodeURIComponent(realmNameOf(org))}/clients`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const found = await localFetch(`${clients}?clientId=${consoleClientId}`, { headers });
  if (!found.ok)
    throw new Error(`Keycloak: listing ${realmNameOf(org)}'s clients failed: ${String(found.status)}`);
  const existing = ((await found.json()) as { id: string }[])[0];
  const document = consoleClientOf(org, mappers);
  const response =
    existing === undefined
      ? await localFetch(clients, { method: 'POST', headers, body: JSON.stringify(document) })
      : await localFetch(`${clients}/${existing.id}`, {
          method: 'PUT',
          headers,
          // The mappers stay as created (PUT does not replace them); the flow settings are set again.
          body: JSON.stringify({ ...document, id: existing.id, protocolMappers: undefined }),
        });
  if (!response.ok)
    throw new Error(
      `Keycloak: writing ${consoleClientId} in ${realmNameOf(org)} failed: ${String(response.status)} ${(await response.text()).slice(0, 300)}`,
    );
}

export function consoleClientsTask(): TaskSpec {
  return {
    kind: 'task',
    name: consoleClientsTaskName,
    description: `Keycloak: the console's public client (${consoleClientId}, PKCE) in every org's realm`,
    dependsOn: [keycloakServiceName],
    run: async () => {
      const token = await keycloakAdminToken();
      const mappers = userClientMappers();
      for (const org of realmOrgs) await ensureConsoleClient(token, org, mappers);
    },
  };
}
