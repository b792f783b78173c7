// The project's own PostgreSQL cluster (Debian's postgresql-15), run as the `postgres` system user
// because PostgreSQL refuses root, with its data and socket where that user can reach them, linked
// from the state directory (see serviceDataDir); and the task that creates the roles and databases
// the rest of the system uses. Over TCP it speaks TLS only (a certificate from the deployment's local
// CA, renewed at every start) with SCRAM passwords, and each service signs in as its own role.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand } from '../env/command';
import { GOVERNING_ORG } from '../network/topology';
import { postgresBinDir, stateDir } from '../env/paths';
import { portPlan } from '../env/portPlan';
import { namedSecret } from '../env/stateSecret';
import { prepareServiceDataDir, serviceDataDir, systemUser, type SystemUser } from '../env/systemUser';
import type { DaemonSpec, TaskSpec } from '../runner/serviceSpec';
import { serviceServerTls, serviceTlsCaFile } from './serviceTls';

export const postgresServiceName = 'postgres';
export const postgresDatabasesTaskName = 'postgres-databases';

const osUser = 'postgres';
const home = serviceDataDir(stateDir, 'postgres');
const dataDir = path.join(home, 'data');
export const postgresSocketDir = path.join(home, 'run');
/** The server's certificate, key and client rules, rewritten at every start where the postgres user reads them. */
const serverCertFile = path.join(home, 'server.crt');
const serverKeyFile = path.join(home, 'server.key');
const hbaFile = path.join(home, 'pg_hba.conf');

/** The CA a client trusts to verify the server (libpq's sslrootcert). */
export const postgresCaFile = serviceTlsCaFile;

/** Each database the system uses, owned by a login role of the same name. */
export const postgresDatabases = ['escrow', 'keycloak'] as const;
export type PostgresDatabase = (typeof postgresDatabases)[number];

/**
 * The services of the `escrow` database. Each signs in as its own role (`escrow_<service>`), granted
 * only what its job needs by the migrations (offchain-db/migrations, gateway-api/migrations); the
 * owner role `escrow` runs the migrations and owns every table. The risk service's tables are in
 * its own schema, `risk` (risk/migrations).
 */
export const escrowServices = [
  'gateway',
  'mirror',
  'relay',
  'notifier',
  'keeper',
  'reconcile',
  'review_rings',
  'risk',
] as const;
export type EscrowService = (typeof escrowServices)[number];

export function escrowServiceRole(service: EscrowService): string {
  return `escrow_${service}`;
}

function rolePassword(role: string): string {
  return namedSecret(`postgres-${role}-password`);
}

/** The password of the owner role of `database`. */
export function postgresPassword(database: PostgresDatabase): string {
  return rolePassword(database);
}

/** The URL `role` signs in to `database` with: its generated password, the port plan's address. */
export function postgresRoleUrl(role: string, database: string): string {
  const password = encodeURIComponent(rolePassword(role));
  return `postgresql://${role}:${password}@${portPlan.host}:${portPlan.postgres.listen}/${database}`;
}

/** The owner role's URL of `database` (migrations, test suites' scratch schemas). */
export function postgresUrl(database: PostgresDatabase): string {
  return postgresRoleUrl(database, database);
}

/**
 * Each org's gateway keeps its tables (sealed identities, idempotency records, submitted
 * transactions) in a schema of its own, `gateway_<org>`, granted to its own role alone.
 */
export function gatewayDatabaseSchema(org: string): string {
  return `gateway_${org.toLowerCase()}`;
}

/**
 * `escrow_gateway_<org>`: the login role of one org's gateway, a member of `escrow_gateway`, which
 * holds what every gateway may do on the projection and the webhook tables.
 */
export function gatewayDatabaseRole(org: string): string {
  return `escrow_${gatewayDatabaseSchema(org)}`;
}

/**
 * A marketplace's own projection of the ledger (the trades it is party to): database
 * `projection_<org>`, owned by the role of that name, which runs its migrations.
 */
export function projectionDatabase(org: string): string {
  return `projection_${org.toLowerCase()}`;
}

/** Every org but the governing one keeps its own projection; Oversight's is the auditor's, `escrow`. */
export function hasOwnProjection(org: string): boolean {
  return org !== GOVERNING_ORG;
}

/** The role that org's mirror signs in as: a member of `escrow_mirror`, admitted to that database alone. */
export function projectionMirrorRole(org: string): string {
  return `${projectionDatabase(org)}_mirror`;
}

/** The projection's owner's URL (its migrations). */
export function projectionOwnerUrl(org: string): string {
  return postgresRoleUrl(projectionDatabase(org), projectionDatabase(org));
}

/** The URL the org's mirror writes its projection with. */
export function projectionMirrorUrl(org: string): string {
  return postgresRoleUrl(projectionMirrorRole(org), projectionDatabase(org));
}

/** The URL the org's gateway searches its projection with: its own role, read-only there. */
export function projectionGatewayUrl(org: string): string {
  return postgresRoleUrl(gatewayDatabaseRole(org), projectionDatabase(org));
}

/**
 * What one deployment's cluster holds: a gateway schema and role per org in `gatewayOrgs`, a
 * projection database per org in `projectionOrgs` (the demo: every org side by side; an org on its
 * own host: its own alone).
 */
export interface PostgresTenants {
  readonly gatewayOrgs: readonly string[];
  readonly projectionOrgs: readonly string[];
}

/** Each projection database admits its owner, its mirror and its org's gateway; the first two reach nothing else. */
function boundDatabases(tenants: PostgresTenants) {
  return tenants.projectionOrgs.map((org) => ({
    database: projectionDatabase(org),
    roles: [projectionDatabase(org), projectionMirrorRole(org), gatewayDatabaseRole(org)],
    confined: [projectionDatabase(org), projectionMirrorRole(org)],
  }));
}

/** The URL an org's gateway is handed: its own role. */
export function gatewayDatabaseUrl(org: string): string {
  return postgresRoleUrl(gatewayDatabaseRole(org), 'escrow');
}

/**
 * Each marketplace's payment services keep their tables (the sellers' payee accounts, the parked
 * settlements) in a schema of their own, `payments_<org>`, granted to `escrow_payments_<org>` alone:
 * no other marketplace, and no other service, reads where that marketplace pays its sellers.
 */
export function paymentsDatabaseSchema(org: string): string {
  return `payments_${org.toLowerCase()}`;
}

export function paymentsDatabaseRole(org: string): string {
  return `escrow_${paymentsDatabaseSchema(org)}`;
}

/** The URL a marketplace's payment services are handed: that marketplace's payments role. */
export function paymentsDatabaseUrl(org: string): string {
  return postgresRoleUrl(paymentsDatabaseRole(org), 'escrow');
}

/** The URL a service of the escrow database is handed: its own role, nobody else's. */
export function escrowServiceUrl(service: EscrowService): string {
  return postgresRoleUrl(escrowServiceRole(service), 'escrow');
}

/** `url` with libpq's verify-full TLS settings, for tools that take nothing but a URL (node-pg-migrate). */
export function withVerifiedTls(url: string): string {
  const withTls = new URL(url);
  withTls.searchParams.set('sslmode', 'verify-full');
  withTls.searchParams.set('sslrootcert', postgresCaFile);
  return withTls.toString();
}

function pgBin(name: string): string {
  return path.join(postgresBinDir, name);
}

/** Creates the cluster once, as the postgres user: peer auth on the socket, SCRAM passwords over TCP. */
async function initCluster(tenants: PostgresTenants): Promise<void> {
  const owner = systemUser(osUser);
  prepareServiceDataDir(owner, stateDir, 'postgres');
  fs.mkdirSync(postgresSocketDir, { recursive: true });
  fs.chownSync(postgresSocketDir, owner.uid, owner.gid);
  installServerTls(owner);
  writeOwnedFile(owner, hbaFile, hbaRules(boundDatabases(tenants)), 0o600);
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  await runCommand(
    pgBin('initdb'),
    [
      '--pgdata',
      dataDir,
      '--username',
      osUser,
      '--auth-local=peer',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ],
    { user: osUser, cwd: home },
  );
}

/**
 * Who may connect how: the superuser on the unix socket only (the runner's setup tasks, as the
 * postgres system user); over TCP, TLS with a SCRAM password, and nothing without TLS. A database
 * bound to its own roles (a marketplace's projection) admits those roles alone, and they reach no
 * other database, whatever role they are members of.
 */
function hbaRules(
  bound: readonly { database: string; roles: readonly string[]; confined: readonly string[] }[],
): string {
  const lines = [
    '# Written by the runner at every start (scripts/src/platform/postgres.ts); edits are lost.',
  ];
  lines.push('local     all  postgres        peer');
  for (const { database, roles, confined } of bound) {
    lines.push(`hostssl   ${database}  ${roles.join(',')}  all  scram-sha-256`);
    lines.push(`hostssl   ${database}  all  all  reject`);
    lines.push(`hostssl   all  ${confined.join(',')}  all  reject`);
  }
  lines.push('hostssl   all  all       all   scram-sha-256', 'hostnossl all  all       all   reject');
  return `${lines.join('\n')}\n`;
}

function writeOwnedFile(owner: SystemUser, file: string, content: string, mode: number): void {
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  fs.chownSync(file, owner.uid, owner.gid);
}

/** A fresh server certificate from the local CA, copied where the postgres user reads it (key 0600). */
function installServerTls(owner: SystemUser): void {
  // On a host of its own, its clients (Keycloak's JDBC driver among them) verify the host's address.
  const tls = serviceServerTls(postgresServiceName, [portPlan.host]);
  writeOwnedFile(owner, serverCertFile, tls.certPem, 0o644);
  writeOwnedFile(owner, serverKeyFile, tls.keyPem, 0o600);
}

export function postgresDaemon(tenants: PostgresTenants): DaemonSpec {
  const port = String(portPlan.postgres.listen);
  return {
    kind: 'daemon',
    name: postgresServiceName,
    description: 'PostgreSQL: the ledger mirror, idempotency keys and Keycloak',
    dependsOn: [],
    command: pgBin('postgres'),
    args: [
      '-D',
      dataDir,
      '-c',
      `listen_addresses=${portPlan.host}`,
      '-c',
      `port=${port}`,
      '-c',
      `unix_socket_directories=${postgresSocketDir}`,
      '-c',
      'shared_buffers=128MB',
      '-c',
      'ssl=on',
      '-c',
      `ssl_cert_file=${serverCertFile}`,
      '-c',
      `ssl_key_file=${serverKeyFile}`,
      '-c',
      `hba_file=${hbaFile}`,
    ],
    env: { LANG: 'C.UTF-8' },
    cwd: home,
    user: osUser,
    ports: [portPlan.postgres.listen],
    // SIGTERM is a "smart" shutdown that waits for every client to disconnect; SIGINT ends them.
    stopSignal: 'SIGINT',
    health: { kind: 'command', command: pgBin('pg_isready'), args: ['-h', portPlan.host, '-p', port] },
    startTimeoutSeconds: 60,
    // A cluster started from elsewhere (the state directory itself, before) is restarted here.
    fingerprint: () => home,
    prepare: () => initCluster(tenants),
  };
}

/**
 * psql as the superuser over the unix socket (peer authentication). The statement goes through
 * standard input, so a password in it never shows in the process list.
 */
function psql(sql: string): Promise<string> {
  const args = ['-h', postgresSocketDir, '-p', String(portPlan.postgres.listen), '-U', osUser];
  return runCommand(pgBin('psql'), [...args, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAq', '-f', '-'], {
    user: osUser,
    cwd: home,
    input: sql,
  });
}

/** Creates `role` with its generated password, or sets the password of the role that exists. */
async function ensureRole(role: string): Promise<void> {
  const password = rolePassword(role);
  // Generated secrets are base64url, so they cannot break out of the SQL string literal.
  if (!/^[A-Za-z0-9_-]+$/.test(password)) throw new Error(`unexpected characters in ${role}'s password`);
  const roleExists = await psql(`SELECT 1 FROM pg_roles WHERE rolname = '${role}'`);
  const verb = roleExists.trim() === '1' ? 'ALTER' : 'CREATE';
  await psql(`${verb} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`);
}

/** The database `owner` owns (created once), which only the roles granted CONNECT may enter. */
async function ensureDatabase(owner: string): Promise<void> {
  await ensureRole(owner);
  const databaseExists = await psql(`SELECT 1 FROM pg_database WHERE datname = '${owner}'`);
  if (databaseExists.trim() !== '1') await psql(`CREATE DATABASE ${owner} OWNER ${owner}`);
  // PUBLIC may connect to a new database by default: only the roles granted below may.
  await psql(`REVOKE ALL ON DATABASE ${owner} FROM PUBLIC`);
}

/** A marketplace's projection database, its mirror's role, and its gateway's read access there. */
async function ensureProjectionDatabase(org: string, withGateway: boolean): Promise<void> {
  const database = projectionDatabase(org);
  await ensureDatabase(database);
  const mirror = projectionMirrorRole(org);
  await ensureRole(mirror);
  // The migrations grant the mirror's rights to escrow_mirror; the hba rules keep this role here.
  await psql(`GRANT ${escrowServiceRole('mirror')} TO ${mirror}`);
  await psql(`GRANT CONNECT ON DATABASE ${database} TO ${mirror}`);
  if (withGateway) await psql(`GRANT CONNECT ON DATABASE ${database} TO ${gatewayDatabaseRole(org)}`);
}

export function postgresDatabasesTask(tenants: PostgresTenants): TaskSpec {
  return {
    kind: 'task',
    name: postgresDatabasesTaskName,
    description:
      'create the owner and service roles and the databases, with passwords generated under the state directory',
    dependsOn: [postgresServiceName],
    run: async () => {
      for (const database of postgresDatabases) await ensureDatabase(database);
      // The service roles exist before the migrations, which grant each what its job needs.
      for (const service of escrowServices) {
        await ensureRole(escrowServiceRole(service));
        await psql(`GRANT CONNECT ON DATABASE escrow TO ${escrowServiceRole(service)}`);
      }
      for (const org of tenants.gatewayOrgs) {
        const role = gatewayDatabaseRole(org);
        await ensureRole(role);
        await psql(`GRANT CONNECT ON DATABASE escrow TO ${role}`);
        await psql(`GRANT ${escrowServiceRole('gateway')} TO ${role}`);
      }
      for (const org of tenants.projectionOrgs)
        await ensureProjectionDatabase(org, tenants.gatewayOrgs.includes(org));
      for (const org of tenants.projectionOrgs) {
        await ensureRole(paymentsDatabaseRole(org));
        await psql(`GRANT CONNECT ON DATABASE escrow TO ${paymentsDatabaseRole(org)}`);
      }
    },
  };
}
