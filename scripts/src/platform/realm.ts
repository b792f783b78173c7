// The realms Keycloak imports on its first start: one per peer org (its own identity provider), each
// made from the one realm template in network/keycloak/ with only that org's users and backend client.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';

/** Roles, clients, flows and every demo user of every org; each org's realm keeps its own part. */
export const realmFile = path.join(repoRoot, 'network', 'keycloak', 'p2p-escrow-realm.json');

/** The realm of an org's users and backend: `p2p-marketa`, `p2p-marketb`, `p2p-oversight`. */
export function realmNameOf(org: string): string {
  return `p2p-${org.toLowerCase()}`;
}

/** The confidential client of a marketplace's backend, e.g. `marketa-backend`. */
export function backendClientOf(org: string): string {
  return `${org.toLowerCase()}-backend`;
}

type Json = Record<string, unknown>;

function records(realm: Json, key: string): Json[] {
  const value = realm[key];
  return Array.isArray(value) ? (value as Json[]) : [];
}

function marketplaceOf(user: Json): unknown {
  const attributes = user['attributes'] as Record<string, unknown> | undefined;
  const values = attributes?.['marketplace'];
  return Array.isArray(values) ? (values as unknown[])[0] : undefined;
}

/**
 * `org`'s realm from the template: its name, the public user client, its own backend client and
 * service account, and the users whose `marketplace` is `org`; no other org's user or client secret.
 */
export function orgRealm(template: Json, org: string): Json {
  const otherBackend = (clientId: unknown) =>
    typeof clientId === 'string' && clientId.endsWith('-backend') && clientId !== backendClientOf(org);
  return {
    ...template,
    realm: realmNameOf(org),
    displayName: `p2p-escrow ${org}`,
    clients: records(template, 'clients').filter((client) => !otherBackend(client['clientId'])),
    users: records(template, 'users').filter((user) =>
      user['serviceAccountClientId'] === undefined
        ? marketplaceOf(user) === org
        : !otherBackend(user['serviceAccountClientId']),
    ),
  };
}

/** Writes each org's realm file into `dir` (Keycloak's import folder). */
export function writeOrgRealms(dir: string, orgs: readonly string[]): void {
  const template = JSON.parse(fs.readFileSync(realmFile, 'utf8')) as Json;
  for (const org of orgs)
    fs.writeFileSync(
      path.join(dir, `${realmNameOf(org)}-realm.json`),
      JSON.stringify(orgRealm(template, org), null, 2),
      { mode: 0o600 },
    );
}
