// `npm run risk -- backtest [--rules FILE] [--since ISO]`: runs the risk package's backtest with the
// risk service's database role and, unless --rules names another, the rules file in force.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { ensureRiskRulesFile, riskDatabaseEnv } from './riskDaemon';

async function main(argv: string[]): Promise<number> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'risk', 'dist', 'backtest', 'main.js'), ...argv],
    {
      env: { ...process.env, ...riskDatabaseEnv(), P2P_RISK_RULES_FILE: ensureRiskRulesFile() },
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
