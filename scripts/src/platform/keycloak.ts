// Keycloak from Maven Central (scripts/install/keycloak.sh builds it once for PostgreSQL, health and
// metrics), on loopback HTTPS only (a certificate of the local CA, its plain HTTP listener off; the
// management port inherits the same TLS) with its own database in our PostgreSQL. One server, one
// realm per peer org (each org's identity provider, trusted by that org's gateway alone), made from
// the template in network/keycloak/ and imported on its first start from an import folder of this
// state directory's own (never the shared build's data/import, which every clone on the machine
// would overwrite); the client secrets and the bootstrap admin's password are generated under the
// state directory and reach Keycloak through its environment.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keycloakHomeDir, stateDir } from '../env/paths';
import { serviceDataDir } from '../env/systemUser';
import { endpoint, portPlan } from '../env/portPlan';
import { namedSecret } from '../env/stateSecret';
import { peerOrgs } from '../network/topology';
import type { DaemonSpec } from '../runner/serviceSpec';
import { demoCredentialEnv } from './demoUsers';
import { backendClientOf, realmNameOf, writeOrgRealms } from './realm';
import { postgresCaFile, postgresDatabasesTaskName, postgresPassword } from './postgres';
import { serviceServerTls } from './serviceTls';

export const keycloakServiceName = 'keycloak';
export { backendClientOf, orgRealm, realmFile, realmNameOf } from './realm';
export const keycloakUrl = `https://${endpoint(portPlan.keycloak.https)}`;
export const keycloakAdminUser = 'admin';

/** The issuer of `org`'s realm: its users' and backend's tokens, trusted by its gateway alone. */
export function realmUrlOf(org: string): string {
  return `${keycloakUrl}/realms/${realmNameOf(org)}`;
}

/** The orgs with a realm: every peer org (Oversight's holds its arbiters and auditors). */
export const realmOrgs = peerOrgs.map((org) => org.name);

/** The confidential clients of the partner marketplaces' backends (client credentials grant). */
export const backendClients = ['marketa-backend', 'marketb-backend'] as const;

/** The org whose realm holds a backend client. */
export function orgOfBackendClient(clientId: (typeof backendClients)[number]): string {
  const org = realmOrgs.find((candidate) => backendClientOf(candidate) === clientId);
  if (org === undefined) throw new Error(`no org has the backend client ${clientId}`);
  return org;
}

export function backendClientSecret(clientId: (typeof backendClients)[number]): string {
  return namedSecret(`keycloak-${clientId}-secret`);
}

export function keycloakAdminPassword(): string {
  return namedSecret('keycloak-admin-password');
}

/** The realm file names each client secret as `${P2P_KEYCLOAK_<CLIENT>_SECRET}`; Keycloak fills them in. */
function clientSecretEnv(): Record<string, string> {
  return Object.fromEntries(
    backendClients.map((clientId) => [
      `P2P_KEYCLOAK_${clientId.toUpperCase().replace(/-/g, '_')}_SECRET`,
      backendClientSecret(clientId),
    ]),
  );
}

/**
 * The folder Keycloak imports realms from: per state directory, outside it (a path without spaces or
 * a private parent, as the JVM option needs), removed with the state's other service data.
 */
export const realmImportDir = serviceDataDir(stateDir, 'keycloak-import');

/** What --import-realm does, from `realmImportDir`: a realm that already exists is kept as is. */
export const realmImportJavaOptions = `-Dkeycloak.migration.dir=${realmImportDir}`;

export function keycloakDaemon(): DaemonSpec {
  const { https, management } = portPlan.keycloak;
  // Issued by the local CA before each start (prepare), handed to Keycloak through its environment.
  let certificate: { KC_HTTPS_CERTIFICATE_FILE: string; KC_HTTPS_CERTIFICATE_KEY_FILE: string } | undefined;
  return {
    kind: 'daemon',
    name: keycloakServiceName,
    description: `Keycloak: OIDC tokens for marketplace backends and users, realms ${realmOrgs.map(realmNameOf).join(', ')}`,
    dependsOn: [postgresDatabasesTaskName],
    // kc.sh is a /bin/sh script that stays the parent of the JVM; the runner records that shell.
    command: '/bin/sh',
    args: [
      path.join(keycloakHomeDir, 'bin', 'kc.sh'),
      'start',
      '--optimized',
      '--http-enabled=false',
      `--http-host=${portPlan.host}`,
      `--https-port=${https}`,
      `--http-management-host=${portPlan.host}`,
      `--http-management-port=${management}`,
      `--hostname=${keycloakUrl}`,
      '--cache=local',
      // PostgreSQL speaks TLS only; the JDBC driver verifies its certificate and name against the local CA.
      `--db-url=jdbc:postgresql://${endpoint(portPlan.postgres.listen)}/keycloak?sslmode=verify-full&sslrootcert=${postgresCaFile}`,
      '--db-username=keycloak',
    ],
    get env() {
      return {
        KC_DB_PASSWORD: postgresPassword('keycloak'),
        KC_BOOTSTRAP_ADMIN_USERNAME: keycloakAdminUser,
        KC_BOOTSTRAP_ADMIN_PASSWORD: keycloakAdminPassword(),
        JAVA_OPTS_KC_HEAP: '-Xms128m -Xmx512m',
        // Keycloak fills the realm's ${P2P_...} placeholders from this environment as it imports.
        JAVA_OPTS_APPEND: realmImportJavaOptions,
        ...clientSecretEnv(),
        ...demoCredentialEnv(),
        ...certificate,
      };
    },
    cwd: stateDir,
    ports: [https, management],
    health: { kind: 'http', url: `https://${endpoint(management)}/health/ready` },
    // A cold start on two cores (schema creation, realm import) takes about a minute, and up to a
    // quarter of an hour on a machine busy with other work (seen: 12 minutes at a load of 25).
    startTimeoutSeconds: 900,
    fingerprint: () => keycloakHomeDir,
    prepare: () => {
      if (!fs.existsSync(path.join(keycloakHomeDir, '.built'))) {
        throw new Error(`Keycloak is not built in ${keycloakHomeDir}: run scripts/install/keycloak.sh`);
      }
      fs.rmSync(realmImportDir, { recursive: true, force: true });
      fs.mkdirSync(realmImportDir, { recursive: true, mode: 0o700 });
      writeOrgRealms(realmImportDir, realmOrgs);
      // On a host of its own, the orgs' gateways reach it at that host's address.
      const tls = serviceServerTls(keycloakServiceName, [portPlan.host]);
      certificate = { KC_HTTPS_CERTIFICATE_FILE: tls.certPath, KC_HTTPS_CERTIFICATE_KEY_FILE: tls.keyPath };
      return Promise.resolve();
    },
  };
}
