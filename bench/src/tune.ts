// `npm run bench:tune -- --wipe-state`: the tuning matrix. Each setting gets a new channel (block
// cutting is fixed in the genesis block): `stop --clean`, `start` with the setting in the environment,
// then a short bench (ceiling, chaincode and gateway sweeps; no Caliper, no rebuild, a small search
// table). Writes bench/reports/tuning-<timestamp>.{json,md}. It wipes the state directory, hence the
// flag; at the end the stack is started again with the defaults if it was running before.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './gatewayLayer';
import { tuningRow, tuningTable, type BenchReport, type TuningRow } from './tuningTable';

interface Setting {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
}

const SETTINGS: readonly Setting[] = [
  { name: 'defaults', env: {} },
  { name: 'BatchTimeout 250ms', env: { P2P_BATCH_TIMEOUT: '250ms' } },
  { name: 'BatchTimeout 100ms', env: { P2P_BATCH_TIMEOUT: '100ms' } },
  { name: 'MaxMessageCount 20', env: { P2P_BATCH_MAX_MESSAGES: '20' } },
  { name: 'MaxMessageCount 500', env: { P2P_BATCH_MAX_MESSAGES: '500' } },
  { name: 'one shared chaincode server', env: { P2P_CHAINCODE_SERVERS: 'shared' } },
  { name: '2 gateway processes', env: { BENCH_GATEWAY_REPLICAS: '2' } },
];

const SHORT_BENCH: Readonly<Record<string, string>> = {
  BENCH_STEP_SECONDS: '15',
  BENCH_CEILING_RATES: '60,120,160,200',
  BENCH_CHAINCODE_RATES: '20,60,100,130',
  BENCH_GATEWAY_RATES: '20,50,80,100',
  BENCH_CALIPER: '0',
  BENCH_REBUILD: '0',
  BENCH_SEARCH_COUNT: '10000',
};

const cli = path.join(repoRoot, 'scripts', 'dist', 'cli.js');
const reportsDir = path.join(repoRoot, 'bench', 'reports');

function log(line: string): void {
  console.log(`[tune ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

function run(args: string[], env: Record<string, string>, timeoutMinutes: number): void {
  const result = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: timeoutMinutes * 60_000,
  });
  if (result.status !== 0)
    throw new Error(
      `${path.basename(args[0] ?? '')} ${args.slice(1).join(' ')} exited ${String(result.status)}`,
    );
}

/**
 * A fixed workload, one copy per core at once, timed before each setting's bench (the slowest copy).
 * This box is a VM whose speed drifts with its host, so rows measured far apart are read with this
 * figure beside them; both cores run it because a busy sibling core slows the pair, not one thread.
 */
async function cpuCalibrationMs(): Promise<number> {
  const workload = `
    const crypto = require('node:crypto');
    const started = performance.now();
    let digest = Buffer.alloc(32);
    for (let round = 0; round < 200000; round++) digest = crypto.createHash('sha256').update(digest).digest();
    require('node:worker_threads').parentPort.postMessage(performance.now() - started);`;
  const times = await Promise.all(
    Array.from(
      { length: os.availableParallelism() },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(workload, { eval: true });
          worker.once('message', (ms: number) => {
            resolve(ms);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return Math.round(Math.max(...times));
}

function stackIsUp(): boolean {
  return spawnSync(process.execPath, [cli, 'status'], { stdio: 'ignore' }).status === 0;
}

function newReport(before: ReadonlySet<string>): string {
  const added = fs
    .readdirSync(reportsDir)
    .filter((file) => /^\d{4}-.*\.json$/.test(file) && !before.has(file))
    .sort();
  const newest = added.at(-1);
  if (newest === undefined) throw new Error('the bench wrote no report');
  return path.join(reportsDir, newest);
}

async function main(): Promise<void> {
  if (!process.argv.includes('--wipe-state')) {
    console.error(
      'bench:tune restarts the stack on a new channel per setting and wipes .state: pass --wipe-state',
    );
    process.exit(2);
  }
  // BENCH_TUNE_ONLY picks settings by name, in its order, repeats allowed (to interleave A B A B).
  const only = process.env['BENCH_TUNE_ONLY']?.split(',');
  const settings =
    only === undefined
      ? SETTINGS
      : only.map((name) => {
          const setting = SETTINGS.find((candidate) => candidate.name === name);
          if (setting === undefined) throw new Error(`no tuning setting named ${name}`);
          return setting;
        });
  const wasUp = stackIsUp();
  const began = new Date();
  const rows: TuningRow[] = [];
  fs.mkdirSync(reportsDir, { recursive: true });
  const stamp = began.toISOString().replace(/[:.]/g, '-');
  const write = () => {
    fs.writeFileSync(path.join(reportsDir, `tuning-${stamp}.json`), `${JSON.stringify(rows, null, 2)}\n`);
    fs.writeFileSync(path.join(reportsDir, `tuning-${stamp}.md`), tuningTable(rows, SHORT_BENCH));
  };
  try {
    for (const setting of settings) {
      log(`${setting.name}: new channel`);
      run([cli, 'stop', '--clean'], {}, 5);
      run([cli, 'start'], setting.env, 15);
      const before = new Set(fs.readdirSync(reportsDir));
      const calibrationMs = await cpuCalibrationMs();
      log(`${setting.name}: short bench (CPU calibration ${String(calibrationMs)} ms)`);
      run([path.join(repoRoot, 'bench', 'dist', 'main.js')], { ...SHORT_BENCH, ...setting.env }, 30);
      const report = newReport(before);
      rows.push(
        tuningRow(
          setting.name,
          setting.env,
          JSON.parse(fs.readFileSync(report, 'utf8')) as BenchReport,
          report,
          calibrationMs,
        ),
      );
      write();
      log(`${setting.name}: ${JSON.stringify(rows.at(-1)?.figures)}`);
    }
  } finally {
    log('back to the defaults');
    run([cli, 'stop', '--clean'], {}, 5);
    if (wasUp) run([cli, 'start'], {}, 15);
  }
  console.log(fs.readFileSync(path.join(reportsDir, `tuning-${stamp}.md`), 'utf8'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
