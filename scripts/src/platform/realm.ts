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

/** The realm roles of a marketplace's users that sign in: its CA's buyers and sellers have accounts. */
const SIGN_IN_ROLES = ['buyer', 'seller'] as const;

/** A marketplace that joined the channel later: its name and its CA's identities (network/topology.json). */
export interface JoiningOrg {
  name: string;
  identities: readonly { id: string; attrs: Record<string, string> }[];
}

/** The generated values a joining org's realm carries, by the names the founding orgs' secrets have. */
export type RealmSecretOf = (name: string) => string;

/** The secret names of a backend client and a user's password, as for the founding orgs. */
export function backendSecretName(org: string): string {
  return `keycloak-${backendClientOf(org)}-secret`;
}

export function userPasswordName(username: string): string {
  return `demo-${username.toLowerCase()}-password`;
}

/** The template's backend client, made `org`'s: its id, name, secret and `marketplace` claim. */
function backendClientFor(template: Json, org: string, secret: string): Json {
  const model = records(template, 'clients').find((client) =>
    String(client['clientId']).endsWith('-backend'),
  );
  if (model === undefined) throw new Error(`realm file: no backend client to model ${org}'s on`);
  const mappers = Array.isArray(model['protocolMappers']) ? (model['protocolMappers'] as Json[]) : [];
  return {
    ...model,
    clientId: backendClientOf(org),
    name: `${org} backend`,
    description: `${org}'s backend, calling the gateway with client credentials`,
    secret,
    protocolMappers: mappers.map((mapper) =>
      mapper['name'] === 'marketplace'
        ? { ...mapper, config: { ...(mapper['config'] as Json), 'claim.value': org } }
        : mapper,
    ),
  };
}

/** The service account of `org`'s backend client, with the roles the template's backends hold. */
function backendServiceAccountFor(template: Json, org: string): Json {
  const model = records(template, 'users').find((user) => user['serviceAccountClientId'] !== undefined);
  return {
    username: `service-account-${backendClientOf(org)}`,
    enabled: true,
    serviceAccountClientId: backendClientOf(org),
    realmRoles: model?.['realmRoles'] ?? ['marketplace', 'payments'],
  };
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** A buyer's or seller's account, as the founding orgs' demo users are made. */
function signInUserFor(org: string, username: string, role: string, password: string): Json {
  return {
    username,
    enabled: true,
    email: `${username}@${org.toLowerCase()}.example`,
    emailVerified: true,
    firstName: capitalized(username),
    lastName: capitalized(role),
    attributes: { marketplace: [org] },
    realmRoles: [role],
    credentials: [{ type: 'password', value: password, temporary: false }],
  };
}

/**
 * The realm of a marketplace that joined later, built like a founding org's from the one template:
 * its settings, roles, flows and user client; its own backend client and service account; an
 * account for each buyer and seller its CA issues. Its secrets are values (created through the
 * admin API, not imported with placeholders), taken from `secretOf`.
 */
export function joiningOrgRealm(template: Json, org: JoiningOrg, secretOf: RealmSecretOf): Json {
  const base = orgRealm(template, org.name);
  const users = org.identities.flatMap((identity) => {
    const role = identity.attrs['role'] ?? '';
    return (SIGN_IN_ROLES as readonly string[]).includes(role)
      ? [signInUserFor(org.name, identity.id, role, secretOf(userPasswordName(identity.id)))]
      : [];
  });
  return {
    ...base,
    clients: [
      ...records(base, 'clients'),
      backendClientFor(template, org.name, secretOf(backendSecretName(org.name))),
    ],
    users: [...records(base, 'users'), ...users, backendServiceAccountFor(template, org.name)],
  };
}

/** The realm template (network/keycloak/), parsed. */
export function realmTemplate(): Json {
  return JSON.parse(fs.readFileSync(realmFile, 'utf8')) as Json;
}
