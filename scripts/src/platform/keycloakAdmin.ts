// Keycloak's admin REST API as the master realm's bootstrap admin (its password generated under the
// provider's state directory at its first start): whether a realm exists, and creating one from a
// realm document, as the import folder does at start for the founding orgs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secretsDir } from '../env/stateSecret';
import { keycloakAdminPassword, keycloakAdminUser, keycloakUrl } from './keycloak';
import { localFetch } from './localHttps';

/** The bootstrap admin's password file: absent until this state directory's Keycloak first started. */
export const keycloakAdminPasswordFile = path.join(secretsDir, 'keycloak-admin-password');

export function hasKeycloakAdmin(): boolean {
  return fs.existsSync(keycloakAdminPasswordFile);
}

/** A token of the master realm's bootstrap admin. */
export async function keycloakAdminToken(): Promise<string> {
  const response = await localFetch(`${keycloakUrl}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: keycloakAdminUser,
      password: keycloakAdminPassword(),
    }),
  });
  if (!response.ok) throw await failure(`Keycloak refused its admin's login at ${keycloakUrl}`, response);
  const body = (await response.json()) as { access_token?: unknown };
  if (typeof body.access_token !== 'string')
    throw new Error(`Keycloak answered its admin's login at ${keycloakUrl} without a token`);
  return body.access_token;
}

async function failure(what: string, response: { status: number; text(): Promise<string> }) {
  return new Error(`${what}: ${String(response.status)} ${(await response.text()).slice(0, 300)}`);
}

export async function realmExists(token: string, realm: string): Promise<boolean> {
  const response = await localFetch(`${keycloakUrl}/admin/realms/${encodeURIComponent(realm)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status === 404) return false;
  if (response.ok) return true;
  throw await failure(`reading realm ${realm}`, response);
}

/** Creates a realm from its document; false when it existed already (another run got there first). */
export async function createRealm(token: string, document: Record<string, unknown>): Promise<boolean> {
  const response = await localFetch(`${keycloakUrl}/admin/realms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(document),
  });
  if (response.status === 409) return false;
  if (response.status === 201) return true;
  throw await failure(`creating realm ${String(document['realm'])}`, response);
}
