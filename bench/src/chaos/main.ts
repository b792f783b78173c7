// `npm run chaos -- [--seed S] [--minutes M] [--faults N] [--rate R]`: the chaos run on the running
// stack (or on one it starts and stops again), its report under bench/reports/, exit 1 on any failed
// verdict. The same seed, minutes and faults replay the same fault schedule.
import { repoRoot } from '@p2p-escrow/scripts';
import { liveRunner } from '@p2p-escrow/testkit';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeChaosReport } from './chaosReport';
import { runChaos } from './chaosRun';

function log(line: string): void {
  console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not ${text}`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      minutes: { type: 'string' },
      faults: { type: 'string' },
      rate: { type: 'string' },
      quiescence: { type: 'string' },
    },
  });
  const seed =
    values.seed === undefined
      ? Math.floor(Math.random() * 2 ** 31)
      : Math.floor(positive('seed', values.seed, 1));
  const minutes = positive('minutes', values.minutes, 15);
  // About fifty faults in the default quarter of an hour.
  const faults = Math.floor(positive('faults', values.faults, Math.max(10, Math.round(minutes * 3.5))));
  const rate = positive('rate', values.rate, 0.5);
  // Started here only when none of its daemons runs: a running stack whose health probe is slow to
  // answer (a loaded box) is the user's, and is never stopped by this run.
  const runner = liveRunner();
  const startedHere = !runner.daemons().some((daemon) => runner.isUp(daemon.name));
  if (startedHere) {
    log('the stack is not running: starting it for this run (and stopping it after)');
    await runner.start();
  }
  try {
    const report = await runChaos({
      seed,
      minutes,
      faults,
      rate,
      quiescenceSeconds: positive('quiescence', values.quiescence, 300),
      log,
    });
    const folder = writeChaosReport(path.join(repoRoot, 'bench', 'reports'), report);
    log(`report: ${path.join(folder, 'report.md')}`);
    log(report.passed ? 'every verdict passed' : 'FAILED: see the report');
    return report.passed ? 0 : 1;
  } finally {
    if (startedHere) await runner.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
