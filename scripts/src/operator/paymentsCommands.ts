// `operator payments ...`: a marketplace's payment commands. Each runs the payments package's command
// (payments/dist/operations/paymentsCommand.js) with the environment the runner gives the
// marketplace's settlement worker, so it acts as that marketplace's payments identity and role.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { settlementEnv } from '../payments/settlementDaemon';
import { EXIT_RUNTIME, OperatorError } from './operatorError';

/** The payments command's exit code when the provider and the ledger differ. */
export const EXIT_DRIFT = 3;

const paymentsCommand = path.join(repoRoot, 'payments', 'dist', 'operations', 'paymentsCommand.js');

export async function runPaymentsCommand(org: string, args: readonly string[]): Promise<void> {
  const child = spawn(process.execPath, [paymentsCommand, ...args], {
    env: { ...process.env, ...settlementEnv(org) },
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => {
    child.on('exit', (exitCode) => {
      resolve(exitCode ?? EXIT_RUNTIME);
    });
  });
  if (code === EXIT_DRIFT)
    throw new OperatorError(
      'RECONCILIATION_DRIFT',
      `${org}: the provider and the ledger differ (see the report)`,
      EXIT_DRIFT,
    );
  if (code !== 0)
    throw new OperatorError('PAYMENTS_COMMAND_FAILED', `${org}: payments ${args[0] ?? ''} failed`, code);
}
