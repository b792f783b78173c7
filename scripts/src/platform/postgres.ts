// The project's own PostgreSQL cluster (Debian's postgresql-15), run as the `postgres` system user
// because PostgreSQL refuses root, with its data and socket where that user can reach them, linked
// from the state directory (see serviceDataDir); and the task that creates the roles and databases
// the rest of the system uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand } from '../env/command';
import { postgresBinDir, stateDir } from '../env/paths';
import { portPlan } from '../env/portPlan';
import { namedSecret } from '../env/stateSecret';
import { prepareServiceDataDir, serviceDataDir, systemUser } from '../env/systemUser';
import type { DaemonSpec, TaskSpec } from '../runner/serviceSpec';

export const postgresServiceName = 'postgres';
export const postgresDatabasesTaskName = 'postgres-databases';

const osUser = 'postgres';
const home = serviceDataDir(stateDir, 'postgres');
const dataDir = path.join(home, 'data');
export const postgresSocketDir = path.join(home, 'run');

/** Each database the system uses, owned by a login role of the same name. */
export const postgresDatabases = ['escrow', 'keycloak'] as const;
export type PostgresDatabase = (typeof postgresDatabases)[number];

export function postgresPassword(database: PostgresDatabase): string {
  return namedSecret(`postgres-${database}-password`);
}

export function postgresUrl(database: PostgresDatabase): string {
  const password = encodeURIComponent(postgresPassword(database));
  return `postgresql://${database}:${password}@${portPlan.host}:${portPlan.postgres.listen}/${database}`;
}

function pgBin(name: string): string {
  return path.join(postgresBinDir, name);
}

/** Creates the cluster once, as the postgres user: peer auth on the socket, SCRAM passwords over TCP. */
async function initCluster(): Promise<void> {
  const owner = systemUser(osUser);
  prepareServiceDataDir(owner, stateDir, 'postgres');
  fs.mkdirSync(postgresSocketDir, { recursive: true });
  fs.chownSync(postgresSocketDir, owner.uid, owner.gid);
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

export function postgresDaemon(): DaemonSpec {
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
    prepare: initCluster,
  };
}

/** psql as the superuser over the unix socket (peer authentication). */
function psql(sql: string): Promise<string> {
  const args = ['-h', postgresSocketDir, '-p', String(portPlan.postgres.listen), '-U', osUser];
  return runCommand(pgBin('psql'), [...args, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
    user: osUser,
    cwd: home,
  });
}

export function postgresDatabasesTask(): TaskSpec {
  return {
    kind: 'task',
    name: postgresDatabasesTaskName,
    description: 'create the login roles and databases, with passwords generated under the state directory',
    dependsOn: [postgresServiceName],
    run: async () => {
      for (const database of postgresDatabases) {
        const password = postgresPassword(database);
        // Generated secrets are base64url, so they cannot break out of the SQL string literal.
        if (!/^[A-Za-z0-9_-]+$/.test(password))
          throw new Error(`unexpected characters in ${database}'s password`);
        const roleExists = await psql(`SELECT 1 FROM pg_roles WHERE rolname = '${database}'`);
        const verb = roleExists.trim() === '1' ? 'ALTER' : 'CREATE';
        await psql(`${verb} ROLE ${database} LOGIN PASSWORD '${password}'`);
        const databaseExists = await psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`);
        if (databaseExists.trim() !== '1') await psql(`CREATE DATABASE ${database} OWNER ${database}`);
      }
    },
  };
}
