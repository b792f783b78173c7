// The one migration tool for every table: node-pg-migrate applies each package's numbered SQL files,
// each folder recording what it applied in its own table, so the off-chain projection and the
// gateway's tables evolve independently in one database. The `database-migrate` task runs both
// before any service that reads or writes them starts.
import * as path from 'node:path';
import { runCommand } from '../env/command';
import { repoRoot } from '../env/paths';
import type { TaskSpec } from '../runner/serviceSpec';
import {
  gatewayDatabaseSchema,
  paymentsDatabaseSchema,
  postgresDatabasesTaskName,
  postgresUrl,
  projectionOwnerUrl,
  withVerifiedTls,
  type PostgresTenants,
} from './postgres';

export const databaseMigrateTaskName = 'database-migrate';

const migrateBin = path.join(repoRoot, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');

interface MigrationFolder {
  /** Where the SQL files are. */
  readonly dir: string;
  /** The schema the files run in (search_path), created when missing. */
  readonly schema: string;
  /** The table, in `schema`, that records which files were applied. */
  readonly table: string;
}

/** The ledger projection, the outbox and the webhook tables (offchain-db/migrations). */
export function offchainMigrations(schema = 'public'): MigrationFolder {
  return { dir: path.join(repoRoot, 'offchain-db', 'migrations'), schema, table: 'pgmigrations' };
}

/**
 * A gateway's enrolled identities, idempotency keys and submitted transactions (gateway-api/migrations),
 * in its own schema: one per org's gateway, granted to the role the schema names.
 */
export function gatewayMigrations(schema: string): MigrationFolder {
  return { dir: path.join(repoRoot, 'gateway-api', 'migrations'), schema, table: 'pgmigrations_gateway' };
}

/**
 * A marketplace's payee accounts and parked settlements (payments/migrations), in its own schema,
 * granted to the role the schema names.
 */
export function paymentsMigrations(schema: string): MigrationFolder {
  return { dir: path.join(repoRoot, 'payments', 'migrations'), schema, table: 'pgmigrations_payments' };
}

/** The risk service's checkpoint, aggregates, decisions, review queue and holds (risk/migrations). */
export function riskMigrations(): MigrationFolder {
  return { dir: path.join(repoRoot, 'risk', 'migrations'), schema: 'risk', table: 'pgmigrations_risk' };
}

/**
 * Applies every file of `folder` not applied yet, as the owner whose URL is `ownerUrl` (default: the
 * `escrow` database's); idempotent. Resolves with the tool's output.
 */
export function applyMigrations(folder: MigrationFolder, ownerUrl = postgresUrl('escrow')): Promise<string> {
  return runCommand(
    process.execPath,
    [
      migrateBin,
      'up',
      '--migrations-dir',
      folder.dir,
      '--schema',
      folder.schema,
      '--create-schema',
      '--migrations-schema',
      folder.schema,
      '--create-migrations-schema',
      '--migrations-table',
      folder.table,
      '--no-verbose',
    ],
    // As the owner role, over the same verified TLS as the services (the URL carries the CA).
    { env: { DATABASE_URL: withVerifiedTls(ownerUrl) }, cwd: repoRoot },
  );
}

/** Applies offchain-db/migrations to `schema` (a scratch copy for a rebuild check or a benchmark). */
export function migrateOffchain(schema = 'public'): Promise<string> {
  return applyMigrations(offchainMigrations(schema));
}

/** Each named org's gateway's schema, one after the other. */
export async function migrateGateways(orgs: readonly string[]): Promise<void> {
  for (const org of orgs) await applyMigrations(gatewayMigrations(gatewayDatabaseSchema(org)));
}

/** Each named marketplace's payments schema, one after the other. */
export async function migratePayments(marketplaces: readonly string[]): Promise<void> {
  for (const org of marketplaces) await applyMigrations(paymentsMigrations(paymentsDatabaseSchema(org)));
}

export function databaseMigrateTask(tenants: PostgresTenants): TaskSpec {
  return {
    kind: 'task',
    name: databaseMigrateTaskName,
    description:
      "apply the schema migrations (offchain-db/migrations, in each marketplace's projection too, then gateway-api/migrations in each org's gateway schema, payments/migrations in each marketplace's payments schema, risk/migrations in schema risk)",
    dependsOn: [postgresDatabasesTaskName],
    run: async () => {
      await migrateOffchain();
      for (const org of tenants.projectionOrgs)
        await applyMigrations(offchainMigrations(), projectionOwnerUrl(org));
      await migrateGateways(tenants.gatewayOrgs);
      await migratePayments(tenants.projectionOrgs);
      await applyMigrations(riskMigrations());
    },
  };
}
