// `npm run bench:quick`: the regression guard, well under 3 minutes. The ceiling, the chaincode
// lifecycle and the gateway lifecycle, each at two offered rates around its knee on this box, in one
// run; prints the ratios to the ceiling, the gateway's CPU and peer calls per transition and each
// layer's CPU steal, and exits 1 when a ratio falls below its floor or the gateway's CPU per
// transition rises above its cap (thresholds in bench/README.md; not run by CI).
//   BENCH_QUICK_STEP_SECONDS (12)
//   BENCH_QUICK_CEILING_RATES (60,100), BENCH_QUICK_CHAINCODE_RATES (20,30), BENCH_QUICK_GATEWAY_RATES (10,15)
//   BENCH_QUICK_MIN_CHAINCODE_RATIO, BENCH_QUICK_MIN_GATEWAY_RATIO, BENCH_QUICK_MAX_GATEWAY_CPU_MS
import { requireRunningNetwork } from '@p2p-escrow/testkit';
import { ChainWatch, Sessions, ceilingOperation, lifecycleOperation } from './fabricLayers';
import { BenchGatewayPool, gatewayLifecycleOperation, warmGateways, warmTokens } from './gatewayLayer';
import { cpuTimes, gatewayCostProbe, stealBetween, type GatewayCost, type Steal } from './layerCost';
import { sweep, type Outcome } from './openLoop';
import { quickVerdict, quickThresholds, type QuickFigures } from './quickVerdict';

const env = process.env;
const stepSeconds = Number(env['BENCH_QUICK_STEP_SECONDS'] ?? 12);
const LIFECYCLE_STEPS = 6;
const rates = (name: string, fallback: number[]) =>
  env[name] === undefined ? fallback : (env[name] ?? '').split(',').map(Number);

function log(line: string): void {
  console.log(`[bench:quick ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function measure(
  label: string,
  rates: number[],
  units: number,
  operation: (index: number) => Promise<Outcome>,
): Promise<{ tps: number; steal: Steal; transitions: number }> {
  const before = cpuTimes();
  const steps = await sweep(
    {
      label,
      log,
      rates: rates.map((rate) => rate / units),
      step: { durationSeconds: stepSeconds, maxInFlight: 400, drainSeconds: 20, unitsPerOperation: units },
    },
    operation,
  );
  const steal = stealBetween(before, cpuTimes());
  for (const sample of steps.flatMap((step) => step.errorSamples).slice(0, 3))
    log(`${label} error: ${sample.slice(0, 240)}`);
  return {
    tps: Math.max(0, ...steps.map((step) => step.achievedTps)),
    steal,
    transitions: steps.reduce((sum, step) => sum + step.completedUnits, 0),
  };
}

async function main(): Promise<number> {
  const began = performance.now();
  await requireRunningNetwork();
  const sessions = new Sessions();
  const watch = new ChainWatch();
  const gateways = new BenchGatewayPool(1);
  let figures: QuickFigures;
  let cost: GatewayCost;
  try {
    await watch.start(sessions);
    await ceilingOperation(sessions)(-1);
    const ceiling = await measure(
      'ceiling',
      rates('BENCH_QUICK_CEILING_RATES', [60, 100]),
      1,
      ceilingOperation(sessions),
    );
    const chaincode = await measure(
      'chaincode',
      rates('BENCH_QUICK_CHAINCODE_RATES', [20, 30]),
      LIFECYCLE_STEPS,
      lifecycleOperation(sessions, watch),
    );
    await gateways.start();
    await warmTokens();
    await warmGateways(gateways);
    const probe = await gatewayCostProbe(gateways);
    const gateway = await measure(
      'gateway',
      rates('BENCH_QUICK_GATEWAY_RATES', [10, 15]),
      LIFECYCLE_STEPS,
      gatewayLifecycleOperation(gateways),
    );
    cost = await probe.cost(gateway.transitions);
    const ratio = (tps: number) => (ceiling.tps > 0 ? Math.round((tps / ceiling.tps) * 1000) / 1000 : 0);
    figures = {
      ceilingTps: ceiling.tps,
      chaincodeOverCeiling: ratio(chaincode.tps),
      gatewayOverCeiling: ratio(gateway.tps),
      gatewayCpuMsPerTransition: cost.cpuMsPerTransition,
      stealPercent: {
        ceiling: ceiling.steal.percent,
        chaincode: chaincode.steal.percent,
        gateway: gateway.steal.percent,
      },
    };
    log(`chaincode ${String(chaincode.tps)} tx/s, gateway ${String(gateway.tps)} tx/s`);
  } finally {
    await gateways.stop();
    watch.close();
    sessions.closeAll();
  }
  const verdict = quickVerdict(figures, quickThresholds(env));
  console.log(
    JSON.stringify(
      {
        ...figures,
        peerCallsPerTransition: cost.peerCallsPerTransition,
        wallSeconds: Math.round((performance.now() - began) / 1000),
      },
      null,
      2,
    ),
  );
  for (const line of verdict.lines) console.log(line);
  return verdict.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
