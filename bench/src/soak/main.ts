// `npm run soak -- --minutes N [--rate TPS] [--window-minutes 5]`: the gateway lifecycle at 70 % of
// its peak for N minutes, on the bench's own gateway processes (the stack's gateways with raised rate
// limits, as the gateway layer of `npm run bench`). The peak is measured first in a short sweep unless
// --rate gives the transitions per second to hold. Per window: error rate and latency percentiles;
// for every process of the stack and the bench's gateways: resident memory (VmRSS) at start, per
// window and at the end, and its slope in MiB per minute. JSON + Markdown under bench/reports/.
import { listRecords, repoRoot } from '@p2p-escrow/scripts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BenchGatewayPool, gatewayLifecycleOperation, warmTokens } from '../gatewayLayer';
import { runStep, sweep, type StepResult } from '../openLoop';
import { healthyStack } from '../healthyStack';
import { machineFacts } from '../procSampler';
import { residentMiB, slopeMiBPerMinute } from './residentMemory';

const LIFECYCLE_STEPS = 6;

function log(line: string): void {
  console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

interface Window {
  readonly index: number;
  readonly offeredTps: number;
  readonly achievedTps: number;
  readonly started: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly shed: number;
  readonly latencyMs: StepResult['latencyMs'];
  readonly errorSamples: readonly string[];
}

interface MemorySample {
  readonly minute: number;
  readonly mib: Record<string, number>;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { minutes: { type: 'string' }, rate: { type: 'string' }, 'window-minutes': { type: 'string' } },
  });
  const minutes = Number(values.minutes ?? 30);
  const windowMinutes = Number(values['window-minutes'] ?? 5);
  if (!(minutes > 0) || !(windowMinutes > 0))
    throw new Error('--minutes and --window-minutes must be positive');
  await healthyStack();
  const gateways = new BenchGatewayPool(1);
  const began = Date.now();
  const memory: MemorySample[] = [];
  let roots = new Map<string, number>();
  const sampleMemory = () => {
    // Records are read again each time: a daemon restarted meanwhile has a new PID.
    roots = new Map(listRecords().map((record) => [record.name, record.pid]));
    gateways.replicas.forEach((replica, i) => {
      if (replica.pid !== undefined)
        roots.set(`bench-gateway-${replica.org.toLowerCase()}-${String(i)}`, replica.pid);
    });
    roots.set('soak (this process)', process.pid);
    memory.push({
      minute: Math.round(((Date.now() - began) / 60_000) * 100) / 100,
      mib: Object.fromEntries(residentMiB(roots)),
    });
  };
  const windows: Window[] = [];
  let peakTps: number | undefined;
  let targetTps: number;
  try {
    await gateways.start();
    await warmTokens();
    if (values.rate !== undefined) targetTps = Number(values.rate);
    else {
      const steps = await sweep(
        {
          label: 'peak',
          log,
          rates: [12, 24, 36, 48, 60].map((tps) => tps / LIFECYCLE_STEPS),
          step: {
            durationSeconds: 12,
            maxInFlight: 400,
            drainSeconds: 20,
            unitsPerOperation: LIFECYCLE_STEPS,
          },
        },
        gatewayLifecycleOperation(gateways),
      );
      peakTps = Math.max(0, ...steps.map((step) => step.achievedTps));
      targetTps = Math.round(peakTps * 0.7 * 10) / 10;
      log(`peak ${String(peakTps)} transitions/s: soaking at 70 %, ${String(targetTps)} transitions/s`);
    }
    if (!(targetTps > 0)) throw new Error(`no rate to soak at (${String(targetTps)})`);
    const operation = gatewayLifecycleOperation(gateways);
    let offset = 0;
    sampleMemory();
    const windowCount = Math.max(1, Math.round(minutes / windowMinutes));
    for (let index = 0; index < windowCount; index++) {
      const seconds = Math.min(windowMinutes, minutes - index * windowMinutes) * 60;
      const base = offset;
      const result = await runStep(
        {
          rate: targetTps / LIFECYCLE_STEPS,
          durationSeconds: seconds,
          maxInFlight: 400,
          drainSeconds: 30,
          unitsPerOperation: LIFECYCLE_STEPS,
        },
        (i) => operation(base + i),
      );
      offset += Math.round((targetTps / LIFECYCLE_STEPS) * seconds) + 1;
      sampleMemory();
      const window: Window = {
        index,
        offeredTps: result.offeredTps,
        achievedTps: result.achievedTps,
        started: result.started,
        errors: result.errors,
        errorRate: Math.round((result.errors / Math.max(1, result.started)) * 10000) / 10000,
        shed: result.shed,
        latencyMs: result.latencyMs,
        errorSamples: result.errorSamples,
      };
      windows.push(window);
      log(
        `window ${String(index + 1)}/${String(windowCount)}: ${String(window.achievedTps)} tps, errors ${String(window.errors)}/${String(window.started)}, ` +
          `p50 ${String(window.latencyMs.p50)} p95 ${String(window.latencyMs.p95)} p99 ${String(window.latencyMs.p99)} ms`,
      );
    }
  } finally {
    await gateways.stop();
  }

  const names = [...new Set(memory.flatMap((sample) => Object.keys(sample.mib)))].sort();
  const processes = names.map((name) => {
    const points = memory.flatMap((sample) => {
      const mib = sample.mib[name];
      return mib === undefined ? [] : [{ minute: sample.minute, mib }];
    });
    return {
      name,
      startMiB: points[0]?.mib ?? 0,
      endMiB: points.at(-1)?.mib ?? 0,
      slopeMiBPerMinute: slopeMiBPerMinute(points),
      samples: points,
    };
  });
  const totalErrors = windows.reduce((sum, w) => sum + w.errors, 0);
  const totalStarted = windows.reduce((sum, w) => sum + w.started, 0);
  const report = {
    startedAt: new Date(began).toISOString(),
    minutes,
    windowMinutes,
    machine: machineFacts(),
    peakTps: peakTps ?? null,
    targetTps,
    errorRate: Math.round((totalErrors / Math.max(1, totalStarted)) * 10000) / 10000,
    windows,
    processes,
  };
  const folder = path.join(repoRoot, 'bench', 'reports', `soak-${report.startedAt.replace(/[:.]/g, '-')}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(folder, 'report.md'), soakMarkdown(report));
  log(`report: ${path.join(folder, 'report.md')}`);
  return 0;
}

function soakMarkdown(report: {
  startedAt: string;
  minutes: number;
  windowMinutes: number;
  peakTps: number | null;
  targetTps: number;
  errorRate: number;
  windows: Window[];
  processes: { name: string; startMiB: number; endMiB: number; slopeMiBPerMinute: number }[];
}): string {
  return [
    `# Soak, ${String(report.minutes)} min from ${report.startedAt}`,
    '',
    `Peak ${report.peakTps === null ? 'not measured (--rate given)' : `${String(report.peakTps)} transitions/s`}; ` +
      `held ${String(report.targetTps)} transitions/s (gateway lifecycles, 6 transitions each); error rate ${(report.errorRate * 100).toFixed(2)} %.`,
    '',
    `## Per ${String(report.windowMinutes)}-minute window`,
    '',
    '| window | achieved tps | lifecycles | errors | error rate | p50 ms | p95 ms | p99 ms | max ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.windows.map(
      (w) =>
        `| ${String(w.index + 1)} | ${String(w.achievedTps)} | ${String(w.started)} | ${String(w.errors)} | ${(w.errorRate * 100).toFixed(2)} % | ` +
        `${String(w.latencyMs.p50)} | ${String(w.latencyMs.p95)} | ${String(w.latencyMs.p99)} | ${String(w.latencyMs.max)} |`,
    ),
    '',
    '## Resident memory per process (VmRSS of its process tree)',
    '',
    '| process | start MiB | end MiB | slope MiB/min |',
    '| --- | ---: | ---: | ---: |',
    ...[...report.processes]
      .sort((a, b) => b.slopeMiBPerMinute - a.slopeMiBPerMinute)
      .map(
        (p) => `| ${p.name} | ${String(p.startMiB)} | ${String(p.endMiB)} | ${String(p.slopeMiBPerMinute)} |`,
      ),
    '',
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
