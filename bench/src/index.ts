// The benchmarks' face: the open-loop load generator, latency statistics, the process sampler and the
// throughput chart, for whoever measures something else the same way. The runnable entries are
// main.ts (`npm run bench`), tune.ts (`npm run bench:tune`), gatewayLatency.ts and seedSearch.ts.
export {
  runStep,
  sweep,
  type Outcome,
  type StepOptions,
  type StepResult,
  type SweepOptions,
} from './openLoop';
export { latencySummary, percentile, type LatencySummary } from './stats';
export { ProcessSampler, type ProcessUsage } from './procSampler';
export { throughputPng, throughputSvg, type Series } from './chart';
