// A marketplace operator's payment commands, run by `npm run operator -- payments ...` with the
// marketplace's settlement environment (scripts/src/payments/settlementDaemon.ts):
//   reconcile --from <ISO> --to <ISO> [--json]   exit 0 clean, 3 drift, 2 bad input, 1 failure
//   payee-register <userId> <accountId>         where the marketplace pays that seller
//   payee-list [--json]
//   statement-propose | statement-pay | statement-payout | statement-show   (statementCommands.ts)
// Exit codes: 0 done, 2 bad input, 3 drift, 4 the ledger or the statement's rules refused, 1 failure.
import { newPool } from '@p2p-escrow/offchain-db';
import { parseArgs } from 'node:util';
import { paymentProviderFromEnvironment } from '../index';
import { FabricPaymentsLedger } from '../ledger/fabricPaymentsLedger';
import { refusalOf } from '../ledger/ledgerRefusal';
import { checkedPayeeAccount, PayeeAccountError } from '../payees/payeeAccount';
import { reportJson, reportText } from '../reconciliation/providerReconciliation';
import { runReconciliation } from '../reconciliation/reconciliationRun';
import { readSettlementConfig } from '../settlement/settlementConfig';
import { SettlementError } from '../settlement/settlementErrors';
import { StatementPeriodError } from '../statements/statementPeriodArgument';
import { StatementSettlementError } from '../statements/statementSettlement';
import { PgPayeeAccounts } from '../store/pgPaymentsStore';
import {
  runStatementCommand,
  STATEMENT_COMMANDS,
  STATEMENT_USAGE,
  StatementUsageError,
  type StatementCommand,
} from './statementCommands';

export const EXIT_DRIFT = 3;
const EXIT_USAGE = 2;
const EXIT_REFUSED = 4;

const USAGE = `usage: paymentsCommand.js <command>
  reconcile --from ISO --to ISO [--json]
  payee-register <userId> <accountId>
  payee-list [--json]
  ${STATEMENT_USAGE}
`;

class UsageError extends Error {}

function instant(value: string | undefined, option: string): Date {
  const date = value === undefined ? undefined : new Date(value);
  if (date === undefined || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value ?? ''))
    throw new UsageError(`${option} must be an ISO-8601 instant, e.g. 2026-11-30T00:00:00Z`);
  return date;
}

async function reconcileCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const period = { from: instant(values.from, '--from'), to: instant(values.to, '--to') };
  if (!(period.from < period.to)) throw new UsageError('--to must be after --from');
  const config = readSettlementConfig(process.env, 'payments reconcile');
  const ledger = FabricPaymentsLedger.open(config.fabric);
  try {
    const provider = paymentProviderFromEnvironment(process.env, 'payments reconcile');
    const report = await runReconciliation(provider, ledger, config.marketplace, period);
    process.stdout.write(values.json ? `${reportJson(report)}\n` : reportText(report));
    return report.clean ? 0 : EXIT_DRIFT;
  } finally {
    ledger.close();
  }
}

async function payeeCommand(command: 'payee-register' | 'payee-list', args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const config = readSettlementConfig(process.env, 'payments payee');
  const accounts = new PgPayeeAccounts(newPool(config.database, 1));
  try {
    if (command === 'payee-list') {
      const listed = await accounts.list();
      process.stdout.write(
        values.json
          ? `${JSON.stringify(listed, null, 2)}\n`
          : listed
              .map((entry) => `${entry.userId}\t${entry.accountId}\t${entry.registeredAt.toISOString()}\n`)
              .join(''),
      );
      return 0;
    }
    const [userId = '', accountId = ''] = positionals;
    if (positionals.length !== 2) throw new UsageError('payee-register takes <userId> <accountId>');
    const provider = paymentProviderFromEnvironment(process.env, 'payments payee');
    const checked = checkedPayeeAccount(userId, accountId, (account) => provider.isPayeeAccount(account));
    const registered = await accounts.register(checked.userId, checked.accountId);
    process.stdout.write(
      `${registered.userId} of ${config.marketplace} is paid to ${registered.accountId}\n`,
    );
    return 0;
  } finally {
    await accounts.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = '', ...rest] = argv;
  if (command === 'reconcile') return reconcileCommand(rest);
  if (command === 'payee-register' || command === 'payee-list') return payeeCommand(command, rest);
  if (isStatementCommand(command)) return runStatementCommand(command, rest);
  if (command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  throw new UsageError(USAGE.trimEnd());
}

function isStatementCommand(command: string): command is StatementCommand {
  return (STATEMENT_COMMANDS as readonly string[]).includes(command);
}

/** A refusal by the ledger or by the statement's rules: nothing moved, the code says why. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof StatementSettlementError ||
    error instanceof SettlementError ||
    refusalOf(error) !== undefined
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      error instanceof StatementUsageError ||
      error instanceof StatementPeriodError ||
      error instanceof PayeeAccountError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    const refusal = refusalOf(error);
    const message =
      refusal === undefined
        ? error instanceof Error
          ? error.message
          : String(error)
        : `${refusal.code}: ${refusal.detail}`;
    console.error(`error: ${message}`);
    process.exitCode = usage ? EXIT_USAGE : isRefusal(error) ? EXIT_REFUSED : 1;
  },
);
