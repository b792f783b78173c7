// `npm run risk -- backtest [--rules FILE] [--since ISO]`: replays the auditor's projection through a
// rules file (default: the service's, P2P_RISK_RULES_FILE) without acting, and prints each rule's
// hits. Exit 0 with the report; 2 with a usage or rules file error naming the bad field.
import { newPool, runProcess } from '@p2p-escrow/offchain-db';
import pino from 'pino';
import { loadRuleSet, RulesFileError } from '../rules/ruleSet';
import { readBacktestConfig } from '../service/riskConfig';
import { backtest, reportLines } from './backtest';
import { projectionHistory } from './projectionHistory';

const log = pino({ name: 'risk-backtest' });
const USAGE = 'usage: risk backtest [--rules FILE] [--since ISO-8601]';

export interface BacktestArguments {
  readonly rulesFile: string | undefined;
  readonly since: number | undefined;
}

export class UsageError extends Error {
  readonly code = 'USAGE';
}

export function parseBacktestArguments(args: readonly string[]): BacktestArguments {
  let rulesFile: string | undefined;
  let since: number | undefined;
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new UsageError(`${String(flag)} needs a value; ${USAGE}`);
    if (flag === '--rules') rulesFile = value;
    else if (flag === '--since') {
      since = Date.parse(value);
      if (Number.isNaN(since)) throw new UsageError(`--since ${value} is not an ISO-8601 instant; ${USAGE}`);
    } else throw new UsageError(`unknown option ${String(flag)}; ${USAGE}`);
  }
  return { rulesFile, since };
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  let parsed: BacktestArguments;
  let ruleSet;
  try {
    if (command !== 'backtest') throw new UsageError(USAGE);
    parsed = parseBacktestArguments(rest);
    ruleSet = parsed.rulesFile === undefined ? undefined : loadRuleSet(parsed.rulesFile);
  } catch (error) {
    if (error instanceof UsageError || error instanceof RulesFileError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const config = readBacktestConfig(process.env);
  const rules = ruleSet ?? loadRuleSet(config.rulesFile);
  const pool = newPool(config.database, 2);
  try {
    const report = await backtest(rules, projectionHistory(pool), parsed.since);
    for (const line of reportLines(report)) console.log(line);
  } finally {
    await pool.end();
  }
}

runProcess('risk backtest', main, log);
