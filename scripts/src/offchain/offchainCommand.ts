// Runs an off-chain command with the environment the runner gives the off-chain services:
//   node scripts/dist/offchain/offchainCommand.js reconcile
//   node scripts/dist/offchain/offchainCommand.js rebuild [--schema <name>]
//   node scripts/dist/offchain/offchainCommand.js webhooks-replay --from-block N | --from-event ID [--subscription ID]
// A scratch schema is migrated first, so `rebuild --schema check` replays next to the live projection.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { migrateOffchain } from '../platform/databaseMigrations';
import { notifierEnv, offchainCommandEnv } from './offchainServices';

const scripts: Record<string, string[]> = {
  reconcile: ['reconcile/main.js'],
  rebuild: ['mirror/main.js', 'rebuild'],
  'webhooks-replay': ['webhooks/main.js', 'replay'],
};

async function main(argv: string[]): Promise<number> {
  const [command = '', ...rest] = argv;
  const target = scripts[command];
  if (target === undefined) {
    console.error(
      'usage: offchainCommand.js reconcile | rebuild [--schema <name>] | webhooks-replay --from-block N | --from-event ID',
    );
    return 2;
  }
  const schemaFlag = rest.indexOf('--schema');
  const schema = schemaFlag >= 0 ? (rest[schemaFlag + 1] ?? 'public') : 'public';
  if (schema !== 'public') await migrateOffchain(schema);
  const [script = '', ...args] = target;
  // The caller's flags go to the script (replay's --from-block/--from-event/--subscription); --schema
  // is this command's own and reaches the script as P2P_DATABASE_SCHEMA.
  const passed = schemaFlag >= 0 ? [...rest.slice(0, schemaFlag), ...rest.slice(schemaFlag + 2)] : rest;
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'offchain-db', 'dist', script), ...args, ...passed],
    {
      env: {
        ...process.env,
        ...(command === 'webhooks-replay'
          ? { ...notifierEnv(), P2P_DATABASE_SCHEMA: schema }
          : offchainCommandEnv(command === 'rebuild' ? 'mirror' : 'reconcile', schema)),
      },
      stdio: 'inherit',
    },
  );
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      resolve(code ?? 1);
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
