// A marketplace operator's statement commands (see paymentsCommand.ts for how they are run): propose
// the statement of an ended period with another marketplace, pay its net with one transfer when this
// marketplace is the payer, pay this marketplace's sellers once it is settled, and show it. Each acts
// as the marketplace's payments identity and reads the ledger first, so running one again moves no
// money twice.
import { statementIdFor, isMarketplace, type StatementRecord } from '@p2p-escrow/chaincode';
import { FabricConnection, signingIdentityFromFiles } from '@p2p-escrow/fabric-client';
import { newPool } from '@p2p-escrow/offchain-db';
import { parseArgs } from 'node:util';
import { paymentProviderFromEnvironment } from '../index';
import { refusalOf } from '../ledger/ledgerRefusal';
import { readSettlementConfig, type SettlementConfig } from '../settlement/settlementConfig';
import { SettlementError } from '../settlement/settlementErrors';
import { FabricStatementLedger } from '../statements/fabricStatementLedger';
import { statementPeriodOf } from '../statements/statementPeriodArgument';
import { paySellersOfStatement, payStatement } from '../statements/statementSettlement';
import { PgPayeeAccounts } from '../store/pgPaymentsStore';

export const STATEMENT_COMMANDS = [
  'statement-propose',
  'statement-pay',
  'statement-payout',
  'statement-show',
] as const;
export type StatementCommand = (typeof STATEMENT_COMMANDS)[number];

export const STATEMENT_USAGE = `statement-propose --period <n|periodId|ISO> --with <Marketplace> [--json]
      proposes the pair's statement of an ended period (n: periods back, 1 = the last ended one)
  statement-pay <statementId> [--to-account <acct>] [--json]
      as the statement's payer: ONE transfer of the net to the payee marketplace's account, then settles it
  statement-payout <statementId> [--json]
      once settled: pays this marketplace's sellers of the covered escrows, each recorded on the ledger
  statement-show <statementId> [--json]`;

/** A usage mistake (exit 2). */
export class StatementUsageError extends Error {}

interface Session {
  readonly config: SettlementConfig;
  readonly ledger: FabricStatementLedger;
}

async function withLedger<T>(command: string, act: (session: Session) => Promise<T>): Promise<T> {
  const config = readSettlementConfig(process.env, `payments ${command}`);
  const signer = signingIdentityFromFiles(config.fabric.mspId, config.fabric.certPath, config.fabric.keyPath);
  const connection = new FabricConnection(config.fabric.peer, signer);
  try {
    const contract = connection.network(config.fabric.channel).getContract(config.fabric.chaincode);
    return await act({ config, ledger: new FabricStatementLedger(config.marketplace, contract) });
  } finally {
    connection.close();
  }
}

export function statementText(statement: StatementRecord): string {
  const direction =
    statement.payer === null
      ? 'balanced'
      : `${statement.payer} pays ${statement.payee ?? ''} ${statement.net}`;
  const settled = statement.settlement === null ? '' : ` with ${statement.settlement.transferRef}`;
  return (
    `${statement.statementId}\t${statement.status}${settled}\t${direction} ${statement.currency}` +
    `\tgross ${statement.first}→${statement.second} ${statement.grossFirstToSecond},` +
    ` ${statement.second}→${statement.first} ${statement.grossSecondToFirst}` +
    `\t${String(statement.escrowIds.length)} escrows\n`
  );
}

function print(json: boolean, value: unknown, text: string): void {
  // Amounts of the provider's answers are bigint minor units: printed as strings, as on the ledger.
  const minorUnits = (_key: string, field: unknown) => (typeof field === 'bigint' ? field.toString() : field);
  process.stdout.write(json ? `${JSON.stringify(value, minorUnits, 2)}\n` : text);
}

async function propose(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      period: { type: 'string' },
      with: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const counterpart = values.with ?? '';
  if (!isMarketplace(counterpart)) throw new StatementUsageError('--with must name another marketplace');
  if (values.period === undefined) throw new StatementUsageError('--period is required');
  const period = values.period;
  return withLedger('statement-propose', async ({ config, ledger }) => {
    if (counterpart === config.marketplace)
      throw new StatementUsageError(`--with must name a marketplace other than ${config.marketplace}`);
    const statementId = statementIdFor(
      statementPeriodOf(period, await ledger.settlementPeriodSeconds(), Date.now()),
      config.marketplace,
      counterpart,
    );
    let statement: StatementRecord;
    try {
      statement = await ledger.proposeStatement(statementId);
    } catch (error) {
      // Proposing again is not an error: the one the ledger holds is the answer.
      if (refusalOf(error)?.code !== 'STATEMENT_EXISTS') throw error;
      statement = await ledger.readStatement(statementId);
    }
    print(values.json, statement, statementText(statement));
    return 0;
  });
}

function statementIdArgument(positionals: string[], command: string): string {
  const [statementId = ''] = positionals;
  if (positionals.length !== 1 || statementId.split(':').length !== 3)
    throw new StatementUsageError(`${command} takes one <statementId> (<period>:<first>:<second>)`);
  return statementId;
}

async function pay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'to-account': { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const statementId = statementIdArgument(positionals, 'statement-pay');
  const provider = paymentProviderFromEnvironment(process.env, 'payments statement-pay');
  const toAccount = values['to-account'];
  if (toAccount !== undefined && !provider.isPayeeAccount(toAccount))
    throw new StatementUsageError(`--to-account ${toAccount} is not an account the provider pays out to`);
  return withLedger('statement-pay', async ({ ledger }) => {
    const { statement, transfer } = await payStatement({
      ledger,
      provider,
      statementId,
      marketplaceAccountOf: (marketplace) => {
        if (toAccount === undefined)
          throw new StatementUsageError(`--to-account (the account of ${marketplace}) is required to pay`);
        return toAccount;
      },
    });
    const outcome = transfer === undefined ? 'already settled' : `paid with ${transfer.providerId}`;
    print(values.json, { statement, transfer: transfer ?? null }, `${outcome}\n${statementText(statement)}`);
    return 0;
  });
}

async function payout(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const statementId = statementIdArgument(positionals, 'statement-payout');
  const provider = paymentProviderFromEnvironment(process.env, 'payments statement-payout');
  return withLedger('statement-payout', async ({ config, ledger }) => {
    const payees = new PgPayeeAccounts(newPool(config.database, 1));
    let accounts: Map<string, string>;
    try {
      accounts = new Map((await payees.list()).map((entry) => [entry.userId, entry.accountId]));
    } finally {
      await payees.close();
    }
    const paid = await paySellersOfStatement({
      ledger,
      provider,
      statementId,
      sellerAccountOf: (seller) => {
        const account = accounts.get(seller.userId);
        if (account === undefined)
          throw new SettlementError(
            'SETTLEMENT_PAYEE_ACCOUNT_MISSING',
            `${seller.userId} of ${config.marketplace} has no payee account (payments payee register)`,
          );
        return account;
      },
    });
    const lines = paid.map((entry) => `${entry.escrowId}\tpaid with ${entry.payout.providerId}\n`);
    print(
      values.json,
      paid.map((entry) => ({ escrowId: entry.escrowId, providerId: entry.payout.providerId })),
      lines.length === 0 ? `no seller of ${config.marketplace} left to pay\n` : lines.join(''),
    );
    return 0;
  });
}

async function show(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const statementId = statementIdArgument(positionals, 'statement-show');
  return withLedger('statement-show', async ({ ledger }) => {
    const statement = await ledger.readStatement(statementId);
    print(values.json, statement, statementText(statement));
    return 0;
  });
}

export function runStatementCommand(command: StatementCommand, args: string[]): Promise<number> {
  if (command === 'statement-propose') return propose(args);
  if (command === 'statement-pay') return pay(args);
  if (command === 'statement-payout') return payout(args);
  return show(args);
}
