// `npm run bench`: every layer in one run against the running stack (started if it is down), each
// driven open-loop at a sweep of offered rates until throughput stops rising. Writes
// bench/reports/<timestamp>.{json,md,svg,png}. Bounded: short steps, capped in-flight work, drain deadlines.
//   BENCH_STEP_SECONDS (20)  BENCH_SEARCH_COUNT (1000000)  BENCH_SEARCH_SAMPLES (40)
//   BENCH_REST_SECONDS (15): the stack's CPU at rest is sampled this long before any load (0 skips)
//   BENCH_LOW_RATE (5): tx/s of the low-load latency steps after the gateway layer (0 skips them)
//   BENCH_CEILING_RATES, BENCH_CHAINCODE_RATES, BENCH_GATEWAY_RATES: comma-separated tx/s
//   BENCH_GATEWAY_REPLICAS (1): gateway processes the gateway layer spreads its escrows over
//   BENCH_GATEWAY_WORKERS (1): cluster workers behind each of those processes' one port
//   BENCH_REBUILD=0 skips the rebuild from block 0; BENCH_REBUILD_TIMEOUT_SECONDS (300) bounds it
//   BENCH_LAYERS (all): the comma-separated parts to run, of ceiling, chaincode, gateway, caliper,
//   search, rebuild; the mirror and the risk service are measured while the gateway layer runs
import { isRunning, listRecords, requireRunningNetwork } from '@p2p-escrow/testkit';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCaliper, type CaliperRound } from './caliper';
import { ChartFontMissingError, throughputPng, throughputSvg, type Series } from './chart';
import {
  atRestPercent,
  cpuPerTransaction,
  cpuPerTransactionTable,
  type LayerCpuCost,
} from './cpuPerTransaction';
import {
  ChainWatch,
  Sessions,
  ceilingOperation,
  createOperation,
  lifecycleOperation,
  orderingInForce,
  type BlockSeen,
} from './fabricLayers';
import {
  BenchGatewayPool,
  gatewayLifecycleOperation,
  repoRoot,
  warmGateways,
  warmTokens,
} from './gatewayLayer';
import { benchDatabase, riskDatabase } from './benchDatabase';
import { layersToRun } from './benchLayers';
import {
  NOISY_STEAL_PERCENT,
  cpuTimes,
  gatewayCostProbe,
  stealBetween,
  type CostedGateways,
  type GatewayCost,
  type Steal,
} from './layerCost';
import { mirrorCommitLagSummary, mirrorCommitLagTable } from './mirrorCommitLag';
import { mirrorLagSummary, mirrorLagTable } from './mirrorLag';
import { MirrorWatch, type MirrorReport } from './mirrorLayer';
import { stagesBetween, stagesTable } from './gatewayStages';
import { latencyTargets, type LatencyTargets } from './latencyTargets';
import { runStep, sweep, type Outcome, type StepResult } from './openLoop';
import { ProcessSampler, machineFacts, type ProcessUsage } from './procSampler';
import { rebuildLines, rebuildSummary, rebuildTimeoutSeconds, type RebuildReport } from './rebuildOutput';
import { runRebuild } from './rebuildLayer';
import { riskLagSummary, riskLagTable } from './riskLag';
import { RiskWatch, type RiskReport } from './riskLayer';
import { runSearch, type SearchReport } from './searchLayer';
import { summaryCell, type SummaryValue } from './summaryValue';

const env = process.env;
const stepSeconds = Number(env['BENCH_STEP_SECONDS'] ?? 20);
const searchCount = Number(env['BENCH_SEARCH_COUNT'] ?? 1_000_000);
const restSeconds = Number(env['BENCH_REST_SECONDS'] ?? 15);
const lowRate = Number(env['BENCH_LOW_RATE'] ?? 5);
const searchSamples = Number(env['BENCH_SEARCH_SAMPLES'] ?? 40);
const rebuildTimeout = rebuildTimeoutSeconds(env['BENCH_REBUILD_TIMEOUT_SECONDS']);
const runs = layersToRun(env['BENCH_LAYERS']);
const rates = (name: string, fallback: number[]) =>
  env[name] === undefined ? fallback : (env[name] ?? '').split(',').map(Number);
// propose, accept, fund, ship, confirm delivery, release.
const LIFECYCLE_STEPS = 6;

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function ensureStack(): Promise<void> {
  try {
    await requireRunningNetwork();
    return;
  } catch (error) {
    log(`${error instanceof Error ? error.message : String(error)}; starting the stack`);
  }
  const started = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'dist', 'cli.js'), 'start'], {
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  if (started.status !== 0) throw new Error('the stack did not start');
  await requireRunningNetwork();
}

interface LayerResult {
  readonly layer: string;
  readonly driver: string;
  readonly steps: StepResult[];
  readonly bestTps: number;
  readonly bestStep: StepResult | undefined;
  readonly processes: ProcessUsage[];
  readonly blocks: {
    count: number;
    meanTransactions: number;
    maxTransactions: number;
    meanIntervalMs: number;
  };
  readonly wallSeconds: number;
  /** The host's CPU steal over the whole layer. */
  readonly steal: Steal;
  /** The gateway processes' CPU and peer calls per transition (the gateway layer only). */
  readonly gatewayCost?: GatewayCost;
  /** Each process's CPU per transaction over its use at rest, while the best step ran. */
  readonly cpuCost?: LayerCpuCost;
}

function blockStats(blocks: readonly BlockSeen[], from: number, to: number) {
  const inWindow = blocks.filter((b) => b.at >= from && b.at <= to);
  const tx = inWindow.map((b) => b.transactions);
  const intervals = inWindow.slice(1).map((b, i) => b.at - (inWindow[i]?.at ?? b.at));
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
  return {
    count: inWindow.length,
    meanTransactions: mean(tx),
    maxTransactions: Math.max(0, ...tx),
    meanIntervalMs: mean(intervals),
  };
}

function caliperSummary(caliper: Record<string, unknown> | undefined): Record<string, number> {
  const rows = (caliper?.['comparison'] ?? []) as {
    name: string;
    ours?: { overallTps: number };
    caliper?: CaliperRound;
  }[];
  const result: Record<string, number> = {};
  for (const row of rows) {
    if (row.ours === undefined || row.caliper === undefined) continue;
    result[`${row.name}OursTps`] = row.ours.overallTps;
    result[`${row.name}CaliperTps`] = row.caliper.throughputTps;
    result[`${row.name}CaliperAvgMs`] = Math.round(row.caliper.avgLatencyS * 1000);
  }
  return result;
}

function byLayer(layers: readonly LayerResult[], name: string): StepResult[] {
  return layers.find((layer) => layer.layer === name)?.steps ?? [];
}

function best(steps: StepResult[]): StepResult | undefined {
  return [...steps].sort((a, b) => b.achievedTps - a.achievedTps)[0];
}

async function main(): Promise<void> {
  const began = performance.now();
  const startedAt = new Date();
  await ensureStack();
  const sampler = new ProcessSampler({ bench: process.pid });
  sampler.start();
  const sessions = new Sessions();
  const watch = new ChainWatch();
  const gateway = new BenchGatewayPool(
    Number(env['BENCH_GATEWAY_REPLICAS'] ?? 1),
    Number(env['BENCH_GATEWAY_WORKERS'] ?? 1),
  );
  const db = benchDatabase();
  const riskDb = riskDatabase();
  const layers: LayerResult[] = [];
  const found: {
    mirror?: MirrorReport;
    risk?: RiskReport;
    rebuild?: RebuildReport;
    search?: SearchReport | { error: string };
    ordering?: Awaited<ReturnType<typeof orderingInForce>>;
    gatewayFabricRetries?: number;
    caliper?: Record<string, unknown>;
    latencyTargets?: LatencyTargets;
  } = {};
  let atRest: ProcessUsage[] = [];
  try {
    if (restSeconds > 0) {
      // Before any load: what each process spends with nothing to do (polls, heartbeats, GC), so a
      // layer's CPU per transaction counts only what its transactions cost.
      log(`the stack at rest for ${String(restSeconds)} s`);
      const restFrom = performance.now();
      await new Promise((resolve) => setTimeout(resolve, restSeconds * 1000));
      atRest = sampler.usage(restFrom, performance.now());
    }
    found.ordering = await orderingInForce(sessions.of('marketa-backend', 'MarketA'));
    log(`ordering in force: ${JSON.stringify(found.ordering)}`);
    await watch.start(sessions);

    const layer = async (
      name: string,
      driver: string,
      rateList: number[],
      unitsPerOperation: number,
      operation: (index: number) => Promise<Outcome>,
      costed?: CostedGateways,
    ): Promise<LayerResult> => {
      const from = performance.now();
      const cpuBefore = cpuTimes();
      const probe = costed === undefined ? undefined : await gatewayCostProbe(costed);
      const steps = await sweep(
        {
          label: name,
          log,
          rates: rateList.map((rate) => rate / unitsPerOperation),
          step: {
            durationSeconds: stepSeconds,
            maxInFlight: 400,
            drainSeconds: unitsPerOperation > 1 ? 40 : 20,
            unitsPerOperation,
          },
        },
        operation,
      );
      const to = performance.now();
      const steal = stealBetween(cpuBefore, cpuTimes());
      const transitions = steps.reduce((sum, step) => sum + step.completedUnits, 0);
      const gatewayCost = await probe?.cost(transitions);
      const top = best(steps);
      // CPU and memory while the best step ran (the saturating load), not the whole sweep.
      const processes =
        top === undefined ? sampler.usage(from, to) : sampler.usage(top.window.from, top.window.to);
      const result: LayerResult = {
        layer: name,
        driver,
        steps,
        bestTps: top?.achievedTps ?? 0,
        bestStep: top,
        processes,
        blocks: blockStats(watch.blocks, from, to),
        wallSeconds: Math.round((to - from) / 1000),
        steal,
        ...(gatewayCost === undefined ? {} : { gatewayCost }),
        ...(top === undefined || restSeconds <= 0
          ? {}
          : { cpuCost: cpuPerTransaction(atRest, processes, top.achievedTps) }),
      };
      log(
        `${name}: steal ${String(steal.percent)} %${gatewayCost ? `, gateway ${JSON.stringify(gatewayCost)}` : ''}`,
      );
      layers.push(result);
      return result;
    };

    // Warm-up: gRPC connections and the chaincode servers, outside any measurement.
    await ceilingOperation(sessions)(-1);
    if (runs.has('ceiling'))
      await layer(
        'ceiling',
        'putMarker (one put) via fabric-gateway, endorsers chosen by discovery (MAJORITY)',
        rates('BENCH_CEILING_RATES', [50, 100, 140, 170, 200, 230]),
        1,
        ceilingOperation(sessions),
      );
    if (runs.has('chaincode'))
      await layer(
        'chaincode',
        'create → accept → fund → ship → confirmDelivery → release via fabric-gateway, each by its own actor, endorsed by AND(MarketA, MarketB) (the SBE)',
        rates('BENCH_CHAINCODE_RATES', [20, 40, 70, 100, 130, 160]),
        LIFECYCLE_STEPS,
        lifecycleOperation(sessions, watch),
      );

    // The gateway layer, with the mirror and the risk service observed under its load.
    const gatewayLayer = async (): Promise<void> => {
      await gateway.start();
      gateway.replicas.forEach((replica, index) => {
        if (replica.pid !== undefined)
          sampler.track(index === 0 ? 'bench-gateway' : `bench-gateway-${String(index + 1)}`, replica.pid);
      });
      await warmTokens();
      await warmGateways(gateway);
      const retriesBefore = await gateway.fabricRetries();
      const mirrorWatch = new MirrorWatch(db);
      await mirrorWatch.start();
      const riskWatch = new RiskWatch(riskDb);
      await riskWatch.start();
      const gatewayResult = await layer(
        'gateway',
        `the same lifecycle through POST /v1/escrows and /v1/escrows/{id}/{accept,fund,ship,confirm-delivery,release}, real Keycloak tokens, an Idempotency-Key per request, rate limits raised, ${String(gateway.replicas.length)} gateway process(es)`,
        rates('BENCH_GATEWAY_RATES', [20, 40, 60, 80, 100, 120]),
        LIFECYCLE_STEPS,
        gatewayLifecycleOperation(gateway),
        gateway,
      );
      // The peak: the transactions timestamped during the best step's schedule (performance.now() → epoch).
      const peakWindow = gatewayResult.bestStep?.window;
      const peak =
        peakWindow === undefined
          ? undefined
          : { from: performance.timeOrigin + peakWindow.from, to: performance.timeOrigin + peakWindow.to };
      const mirror = await mirrorWatch.stop(watch.oversightCommits, peak);
      found.mirror = mirror;
      // After the mirror settled, so the risk service has had every event of the window published.
      found.risk = await riskWatch.stop(watch.oversightCommits, peak);
      log(
        `risk: at peak ${JSON.stringify(riskLagSummary(found.risk.atPeak))}, layer ${JSON.stringify(riskLagSummary(found.risk.exact))}, settled after ${String(found.risk.settledAfterSeconds)} s, histogram ${JSON.stringify(found.risk.serviceHistogram)}`,
      );
      found.gatewayFabricRetries = (await gateway.fabricRetries()) - retriesBefore;
      if (lowRate > 0 && found.ordering !== undefined) {
        // The latency targets, each on its own step after the sweep: the same lifecycle straight to the
        // peers and through the gateway at a low rate, then through the gateway at 70 % of its peak.
        const targetStep = (rate: number, operation: (index: number) => Promise<Outcome>) =>
          runStep(
            {
              rate: rate / LIFECYCLE_STEPS,
              durationSeconds: stepSeconds,
              maxInFlight: 400,
              drainSeconds: 40,
              unitsPerOperation: LIFECYCLE_STEPS,
              keepSamplesByPosition: true,
            },
            operation,
          );
        const lowChaincode = await targetStep(lowRate, lifecycleOperation(sessions, watch));
        const stagesBefore = await gateway.stageTotals();
        const lowGateway = await targetStep(lowRate, gatewayLifecycleOperation(gateway));
        const stages = stagesBetween(
          stagesBefore,
          await gateway.stageTotals(),
          lowGateway.latencyMs.mean,
          lowChaincode.latencyMs.mean,
        );
        const atSeventy =
          gatewayResult.bestTps > 0
            ? await targetStep(
                Math.round(70 * gatewayResult.bestTps) / 100,
                gatewayLifecycleOperation(gateway),
              )
            : undefined;
        found.latencyTargets = latencyTargets(
          found.ordering.batchTimeout,
          lowChaincode,
          lowGateway,
          atSeventy,
          stages,
        );
        log(`latency targets: ${JSON.stringify(found.latencyTargets)}`);
      }
      await gateway.stop();
      log(
        `mirror: ${JSON.stringify(mirrorLagSummary(mirror.exact))}, from the block's commit at peak ${JSON.stringify(mirrorCommitLagSummary(mirror.fromCommitAtPeak))}, buckets ${JSON.stringify(mirror.blockToPostgresSeconds)}`,
      );
    };
    if (runs.has('gateway')) await gatewayLayer();

    if (runs.has('caliper') && env['BENCH_CALIPER'] !== '0') {
      // Caliper beside our own figures at the same offered rates: putMarker at the ceiling's best
      // offered rate, createEscrow at BENCH_CREATE_RATE, each also run by our own generator.
      const ceilingBest = best(byLayer(layers, 'ceiling'));
      const putRate = ceilingBest?.offeredTps ?? 100;
      const createRate = Number(env['BENCH_CREATE_RATE'] ?? 60);
      const workers = Number(env['BENCH_CALIPER_WORKERS'] ?? 2);
      const ours = await runStep(
        {
          rate: createRate,
          durationSeconds: stepSeconds,
          maxInFlight: 400,
          drainSeconds: 20,
          unitsPerOperation: 1,
        },
        createOperation(sessions),
      );
      log(`createEscrow (ours): offered ${String(createRate)} -> ${String(ours.achievedTps)} tps`);
      try {
        const caliper = await runCaliper(putRate, createRate, stepSeconds, workers, log, (pid) => {
          sampler.track('caliper', pid);
        });
        const compare = (name: string, own: StepResult | undefined) => {
          const round = caliper.rounds.find((r) => r.name === name);
          if (round === undefined || own === undefined) return { name, missing: true };
          const difference = (a: number, b: number) => Math.round(((a - b) / Math.max(b, 1e-9)) * 1000) / 10;
          return {
            name,
            offeredTps: own.offeredTps,
            ours: {
              achievedTps: own.achievedTps,
              overallTps: own.overallTps,
              meanMs: own.latencyMs.mean,
              maxMs: own.latencyMs.max,
            },
            caliper: round,
            throughputDifferencePercent: difference(round.throughputTps, own.overallTps),
            meanLatencyDifferencePercent: difference(round.avgLatencyS * 1000, own.latencyMs.mean),
          };
        };
        found.caliper = {
          run: true,
          version: '0.6.0 (fabric:fabric-gateway binding)',
          workers,
          command: caliper.command,
          comparison: [compare('putMarker', ceilingBest), compare('createEscrow', ours)],
        };
        log(`caliper: ${JSON.stringify(caliper.rounds)}`);
      } catch (error) {
        found.caliper = { run: false, reason: error instanceof Error ? error.message : String(error), ours };
        log(`caliper failed: ${String(found.caliper['reason'])}`);
      }
    }

    if (runs.has('search')) {
      const searchFrom = performance.now();
      const searchCpu = cpuTimes();
      try {
        const search = await runSearch(searchCount, searchSamples, (pid) => {
          sampler.track('search-bench', pid);
        });
        found.search = search;
        log(`search on ${String(search.escrows)} escrows: p95 ${String(search.overall.p95)} ms`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        found.search = { error: message };
        log(`search failed: ${message}`);
      }
      layers.push({
        layer: 'search',
        driver: `seedSearch --count ${String(searchCount)} --samples ${String(searchSamples)}`,
        steps: [],
        bestTps: 0,
        bestStep: undefined,
        processes: sampler.usage(searchFrom, performance.now()),
        blocks: { count: 0, meanTransactions: 0, maxTransactions: 0, meanIntervalMs: 0 },
        wallSeconds: Math.round((performance.now() - searchFrom) / 1000),
        steal: stealBetween(searchCpu, cpuTimes()),
      });
    }

    if (!runs.has('rebuild')) found.rebuild = { status: 'skipped', reason: 'not in BENCH_LAYERS' };
    else if (env['BENCH_REBUILD'] === '0') found.rebuild = { status: 'skipped', reason: 'BENCH_REBUILD=0' };
    else {
      log(`rebuild from block 0 into a scratch schema (at most ${String(rebuildTimeout)} s)`);
      found.rebuild = await runRebuild(db, rebuildTimeout);
      log(`rebuild: ${JSON.stringify(rebuildSummary(found.rebuild))}`);
    }
  } finally {
    await gateway.stop();
    watch.close();
    sessions.closeAll();
    sampler.stop();
    await db.end();
    await riskDb.end();
  }

  const byName = (name: string) => layers.find((l) => l.layer === name);
  const ceiling = byName('ceiling')?.bestTps ?? 0;
  const chaincode = byName('chaincode');
  const gatewayResult = byName('gateway');
  const ratio = (value: number | undefined) =>
    ceiling > 0 && value !== undefined ? Math.round((value / ceiling) * 1000) / 1000 : NaN;
  const { mirror, risk, search, ordering, rebuild } = found;
  const summary: Record<string, SummaryValue> = {
    ceilingTps: ceiling,
    chaincodeTps: chaincode?.bestTps ?? 0,
    gatewayTps: gatewayResult?.bestTps ?? 0,
    chaincodeOverCeiling: ratio(chaincode?.bestTps),
    gatewayOverCeiling: ratio(gatewayResult?.bestTps),
    ceilingCommitP99Ms: byName('ceiling')?.bestStep?.latencyMs.p99 ?? NaN,
    chaincodeCommitP99Ms: chaincode?.bestStep?.latencyMs.p99 ?? NaN,
    gatewayP99Ms: gatewayResult?.bestStep?.latencyMs.p99 ?? NaN,
    mirrorLagP99Seconds: mirror === undefined ? 'not measured' : mirrorLagSummary(mirror.exact),
    mirrorBlockCommitLagAtPeakSeconds: mirrorCommitLagSummary(mirror?.fromCommitAtPeak),
    gatewayAddsP50MsAtLowLoad: found.latencyTargets?.lowRate.gatewayAddsP50Ms ?? NaN,
    gatewayStepP99MsAt70PercentOfPeak: found.latencyTargets?.atSeventyPercent?.stepP99Ms ?? NaN,
    gatewayStepStagesMsAtLowLoad: found.latencyTargets?.lowRate.stages ?? 'not measured',
    riskDecisionLagAtPeakSeconds: riskLagSummary(risk?.atPeak),
    riskDecisionLagSeconds: riskLagSummary(risk?.exact),
    searchP95Ms: search !== undefined && 'overall' in search ? search.overall.p95 : NaN,
    searchEscrows: search !== undefined && 'escrows' in search ? search.escrows : 0,
    rebuildFromBlock0: rebuildSummary(rebuild),
    gatewayInternalFabricRetries: found.gatewayFabricRetries ?? 0,
    gatewayCpuMsPerTransition: gatewayResult?.gatewayCost?.cpuMsPerTransition ?? NaN,
    gatewayEvaluatesPerTransition: gatewayResult?.gatewayCost?.peerCallsPerTransition.evaluate ?? NaN,
    gatewayCommitStatusCallsPerTransition:
      gatewayResult?.gatewayCost?.peerCallsPerTransition.commit_status ?? NaN,
    stealPercentByLayer: Object.fromEntries(layers.map((layer) => [layer.layer, layer.steal.percent])),
    cpuMsPerTransactionByLayer: Object.fromEntries(
      layers.flatMap((layer) =>
        layer.cpuCost === undefined ? [] : [[layer.layer, layer.cpuCost.totalMsPerTransaction]],
      ),
    ),
    cpuAtRestPercent: atRest.length === 0 ? NaN : atRestPercent(atRest),
    noisyLayers:
      layers
        .filter((layer) => layer.steal.noisy)
        .map((layer) => layer.layer)
        .join(', ') || 'none',
    ...caliperSummary(found.caliper),
  };
  const wallSeconds = Math.round((performance.now() - began) / 1000);
  const report = {
    startedAt: startedAt.toISOString(),
    wallSeconds,
    machine: machineFacts(),
    ordering,
    settings: {
      gatewayReplicas: gateway.replicas.length,
      chaincodeServers: listRecords()
        .filter((record) => record.name.startsWith('chaincode-') && isRunning(record))
        .map((record) => record.name),
    },
    stepSeconds,
    layersRun: [...runs],
    summary,
    atRest,
    layers,
    mirror,
    risk,
    rebuild,
    search,
    caliper: found.caliper ?? { run: false, reason: 'skipped (BENCH_CALIPER=0)' },
    latencyTargets: found.latencyTargets,
  };
  const dir = path.join(repoRoot, 'bench', 'reports');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const chartTitle = `Throughput vs offered load (${stamp})`;
  const chartSeries: Series[] = [
    { label: 'ceiling (putMarker)', colour: '#444', points: pointsOf(byName('ceiling')) },
    { label: 'chaincode (lifecycle)', colour: '#1f77b4', points: pointsOf(chaincode) },
    { label: 'gateway (HTTP)', colour: '#d62728', points: pointsOf(gatewayResult) },
  ];
  fs.writeFileSync(path.join(dir, `${stamp}.svg`), throughputSvg(chartTitle, chartSeries));
  const chartNote = await writePng(path.join(dir, `${stamp}.png`), chartTitle, chartSeries);
  const markdown = renderMarkdown(report, layers, `\`${stamp}.svg\`, ${chartNote}`);
  fs.writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  console.log(markdown);
  log(`report: bench/reports/${stamp}.{json,md,svg,png} in ${String(wallSeconds)} s`);
}

// A missing font costs the PNG only, not the report of a ten-minute run; the note says why.
async function writePng(file: string, title: string, series: Series[]): Promise<string> {
  try {
    fs.writeFileSync(file, await throughputPng(title, series));
    return `\`${path.basename(file)}\``;
  } catch (error) {
    if (!(error instanceof ChartFontMissingError)) throw error;
    log(`chart: ${error.message}`);
    return `no PNG (${error.message})`;
  }
}

/** The latency targets' own steps: what was measured against what the target allows. */
function latencySection(targets: LatencyTargets | undefined): string[] {
  if (targets === undefined) return [];
  const verdict = (met: boolean) => (met ? 'met' : '**not met**');
  const low = targets.lowRate;
  const seventy = targets.atSeventyPercent;
  return [
    '## Latency targets',
    '',
    '| target | measured | allowed | verdict |',
    '| --- | --- | --- | --- |',
    `| at ${String(low.offeredTps)} tx/s offered, the gateway's step p50 over the same step straight to the peers (${String(low.gatewayStepP50Ms)} − ${String(low.chaincodeStepP50Ms)} ms) | ${String(low.gatewayAddsP50Ms)} ms | ${String(low.maxAddedMs)} ms | ${verdict(low.met)} |`,
    ...(seventy === undefined
      ? []
      : [
          `| at 70 % of the gateway's peak (${String(seventy.offeredTps)} tx/s offered, ${String(seventy.achievedTps)} achieved), a gateway step's p99 | ${String(seventy.stepP99Ms)} ms | ${String(seventy.maxP99Ms)} ms (2.5 × BatchTimeout + 100) | ${verdict(seventy.met)} |`,
        ]),
    '',
    'A step with errors or unfinished operations does not meet a target, whatever its percentiles.',
    '',
    ...(low.byStep.length === 0
      ? []
      : [
          `Each step's p50 at ${String(low.offeredTps)} tx/s (through the gateway the fund is the payment opened at the provider, then the provider's event, whose fundEscrow the payments service submits):`,
          '',
          '| step | straight to the peers | through the gateway | added |',
          '| --- | --- | --- | --- |',
          ...low.byStep.map(
            (step) =>
              `| ${step.step} | ${String(step.chaincodeP50Ms)} ms | ${String(step.gatewayP50Ms)} ms | ${String(step.addedMs)} ms |`,
          ),
          '',
        ]),
    ...(low.stages === undefined ? [] : stagesTable(low.stages)),
  ];
}

function mirrorCommitLagLines(mirror: MirrorReport): string[] {
  const lines = (label: string, lag: MirrorReport['fromCommit'] | undefined) =>
    lag === undefined
      ? []
      : 'error' in lag
        ? [`${label}: not measured: ${lag.error}`, '']
        : [...mirrorCommitLagTable(label, lag), ''];
  return [
    ...lines("From the block's commit, at the gateway layer's best step", mirror.fromCommitAtPeak),
    ...lines("From the block's commit, over the whole layer", mirror.fromCommit),
  ];
}

/** Where each layer's transactions spend the machine's CPU, beside what the stack spends at rest. */
function cpuSection(atRest: readonly ProcessUsage[], layers: readonly LayerResult[]): string[] {
  const costed = layers.flatMap((layer) =>
    layer.cpuCost === undefined ? [] : [{ name: layer.layer, cost: layer.cpuCost }],
  );
  if (costed.length === 0) return [];
  const resting = atRest.filter((usage) => usage.cpuPercentMean >= 0.5);
  return [
    '## CPU per transaction',
    '',
    "Each process's CPU while the layer's best step ran, less its CPU at rest, over the transactions that step achieved (ms of CPU per transaction). With every core busy, a layer's rate is about the cores' time over its total, so the totals' ratio explains the layers' ratio.",
    '',
    ...cpuPerTransactionTable(costed),
    '',
    `At rest, before any load, the stack used ${String(atRestPercent(atRest))} % of one core: ${resting.map((usage) => `${usage.name} ${String(usage.cpuPercentMean)}`).join(', ') || 'nothing over 0.5 % each'}.`,
    '',
  ];
}

function pointsOf(layer: LayerResult | undefined) {
  return (layer?.steps ?? []).map((s) => ({ offered: s.offeredTps, achieved: s.achievedTps }));
}

function renderMarkdown(
  report: {
    startedAt: string;
    wallSeconds: number;
    machine: ReturnType<typeof machineFacts>;
    ordering: unknown;
    settings: { gatewayReplicas: number; chaincodeServers: string[] };
    summary: Record<string, SummaryValue>;
    atRest: ProcessUsage[];
    latencyTargets: LatencyTargets | undefined;
    mirror: MirrorReport | undefined;
    risk: RiskReport | undefined;
    rebuild: RebuildReport;
    search: SearchReport | { error: string } | undefined;
    caliper: Record<string, unknown>;
  },
  layers: LayerResult[],
  charts: string,
): string {
  const lines: string[] = [
    `# Benchmark ${report.startedAt}`,
    '',
    `Wall time ${String(report.wallSeconds)} s. Machine: ${String(report.machine.cores)} cores (${report.machine.cpuModel}), ${String(report.machine.memoryGiB)} GiB, Node ${report.machine.node}.`,
    `Ordering in force (channel config): \`${JSON.stringify(report.ordering)}\`. Gateway processes: ${String(report.settings.gatewayReplicas)}; chaincode servers: ${report.settings.chaincodeServers.join(', ')}. Chart: ${charts}.`,
    '',
    '## Summary',
    '',
    '| measure | value |',
    '| --- | --- |',
    ...Object.entries(report.summary).map(([key, value]) => `| ${key} | ${summaryCell(value)} |`),
    '',
    ...cpuSection(report.atRest, layers),
    ...latencySection(report.latencyTargets),
  ];
  for (const layer of layers) {
    lines.push(`## ${layer.layer}`, '', layer.driver, '');
    if (layer.steps.length > 0) {
      lines.push(
        '| offered tx/s | achieved tx/s (steady) | overall tx/s | p50 ms | p95 ms | p99 ms | max ms | started ops | errors | retries | shed | unfinished |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        ...layer.steps.map(
          (s) =>
            `| ${String(s.offeredTps)} | ${String(s.achievedTps)} | ${String(s.overallTps)} | ${String(s.latencyMs.p50)} | ${String(s.latencyMs.p95)} | ${String(s.latencyMs.p99)} | ${String(s.latencyMs.max)} | ${String(s.started)} | ${String(s.errors)} | ${String(s.retries)} | ${String(s.shed)} | ${String(s.unfinished)} |`,
        ),
        '',
        `Blocks committed during the layer: ${String(layer.blocks.count)}, mean ${String(layer.blocks.meanTransactions)} tx/block (max ${String(layer.blocks.maxTransactions)}), mean interval ${String(layer.blocks.meanIntervalMs)} ms. Layer wall time ${String(layer.wallSeconds)} s.`,
        '',
      );
      if (layer.gatewayCost !== undefined)
        lines.push(
          `Gateway cost over the layer's ${String(layer.gatewayCost.transitions)} transitions (lifecycle steps): ${String(layer.gatewayCost.cpuMsPerTransition)} ms of gateway CPU per transition; peer calls per transition: ${JSON.stringify(layer.gatewayCost.peerCallsPerTransition)}.`,
          '',
        );
      const samples = layer.steps.flatMap((s) => s.errorSamples).slice(0, 3);
      if (samples.length > 0)
        lines.push('Error samples:', '', ...samples.map((s) => `- \`${s.slice(0, 240)}\``), '');
    }
    lines.push(
      `CPU steal over the layer: ${String(layer.steal.percent)} % of the machine's CPU time${layer.steal.noisy ? ` — **noisy** (over ${String(NOISY_STEAL_PERCENT)} %): its absolute figures are not comparable` : ''}.`,
      '',
    );
    lines.push(
      layer.steps.length > 0
        ? 'Processes while the best step ran (CPU in % of one core; the machine has 100 % per core):'
        : 'Processes during the layer (CPU in % of one core):',
      '',
      '| process | CPU % mean | CPU % max | RSS MiB mean | RSS MiB max |',
      '| --- | --- | --- | --- | --- |',
      ...layer.processes
        .filter((p) => p.cpuPercentMean >= 0.5 || p.rssMiBMax >= 100)
        .map(
          (p) =>
            `| ${p.name} | ${String(p.cpuPercentMean)} | ${String(p.cpuPercentMax)} | ${String(p.rssMiBMean)} | ${String(p.rssMiBMax)} |`,
        ),
      '',
    );
  }
  if (report.mirror !== undefined)
    lines.push(
      '## mirror (during the gateway layer)',
      '',
      ...mirrorLagTable(report.mirror.exact),
      '',
      ...mirrorCommitLagLines(report.mirror),
      '',
      '```json',
      JSON.stringify(report.mirror, null, 2),
      '```',
      '',
    );
  if (report.risk !== undefined)
    lines.push(
      '## risk service (during the gateway layer)',
      '',
      "At the gateway's peak (the transactions timestamped during its best step):",
      '',
      ...(report.risk.atPeak === undefined ? ['No best step.'] : riskLagTable(report.risk.atPeak)),
      '',
      'Over the whole gateway layer:',
      '',
      ...riskLagTable(report.risk.exact),
      '',
      `Every event of the window decided ${Number.isNaN(report.risk.settledAfterSeconds) ? 'not within the settle deadline' : `${String(report.risk.settledAfterSeconds)} s after the window closed`}. The service's own histogram \`risk_decision_lag_seconds\` (transaction timestamp → decision committed) over the window: ${String(report.risk.serviceHistogram.decisions)} decisions, p50 ≤ ${String(report.risk.serviceHistogram.p50)} s, p99 ≤ ${String(report.risk.serviceHistogram.p99)} s.`,
      '',
    );
  lines.push('## rebuild from block 0', '', ...rebuildLines(report.rebuild), '');
  lines.push('## Caliper cross-check', '');
  const comparison = report.caliper['comparison'] as
    | {
        name: string;
        offeredTps?: number;
        ours?: { overallTps: number; meanMs: number; maxMs: number };
        caliper?: CaliperRound;
        throughputDifferencePercent?: number;
        meanLatencyDifferencePercent?: number;
      }[]
    | undefined;
  if (comparison === undefined) lines.push('```json', JSON.stringify(report.caliper, null, 2), '```', '');
  else
    lines.push(
      `\`${String(report.caliper['command'])}\`, ${String(report.caliper['workers'])} workers.`,
      '',
      '| round | offered tx/s | ours tx/s | Caliper send tx/s | Caliper tx/s | Δ tx/s % | ours mean ms | Caliper avg ms | Δ latency % | ours max ms | Caliper max ms | Caliper fail |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...comparison.map((c) =>
        c.caliper === undefined || c.ours === undefined
          ? `| ${c.name} | missing |`
          : `| ${c.name} | ${String(c.offeredTps)} | ${String(c.ours.overallTps)} | ${String(c.caliper.sendRateTps)} | ${String(c.caliper.throughputTps)} | ${String(c.throughputDifferencePercent)} | ${String(c.ours.meanMs)} | ${String(c.caliper.avgLatencyS * 1000)} | ${String(c.meanLatencyDifferencePercent)} | ${String(c.ours.maxMs)} | ${String(c.caliper.maxLatencyS * 1000)} | ${String(c.caliper.fail)} |`,
      ),
      '',
      'Ours: throughput over the whole step including its drain (as Caliper counts it), latency from the scheduled start.',
      '',
    );
  if (report.search !== undefined)
    lines.push('## search', '', '```json', JSON.stringify(report.search, null, 2), '```', '');
  return `${lines.join('\n')}\n`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
