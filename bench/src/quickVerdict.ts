// The regression guard's judgement: ratios to the ceiling measured in one run (the host's load
// moves the absolute rates, not the ratios) and the gateway's CPU per transition (a count of its own
// work, which load does not inflate much). A layer stolen more than 10 % is named, never excused.
import { NOISY_STEAL_PERCENT } from './layerCost';

export interface QuickFigures {
  readonly ceilingTps: number;
  readonly chaincodeOverCeiling: number;
  readonly gatewayOverCeiling: number;
  readonly gatewayCpuMsPerTransition: number;
  readonly stealPercent: Readonly<Record<string, number>>;
}

export interface QuickThresholds {
  readonly minChaincodeOverCeiling: number;
  readonly minGatewayOverCeiling: number;
  readonly maxGatewayCpuMsPerTransition: number;
}

/** Floors and cap from the measurements in bench/README.md, each overridable from the environment. */
export function quickThresholds(environment: Readonly<Record<string, string | undefined>>): QuickThresholds {
  const number = (name: string, fallback: number) => {
    const value = environment[name];
    return value === undefined || value === '' ? fallback : Number(value);
  };
  return {
    minChaincodeOverCeiling: number('BENCH_QUICK_MIN_CHAINCODE_RATIO', 0.17),
    minGatewayOverCeiling: number('BENCH_QUICK_MIN_GATEWAY_RATIO', 0.1),
    maxGatewayCpuMsPerTransition: number('BENCH_QUICK_MAX_GATEWAY_CPU_MS', 28),
  };
}

export function quickVerdict(
  figures: QuickFigures,
  thresholds: QuickThresholds,
): { passed: boolean; lines: string[] } {
  const checks = [
    {
      name: 'chaincode/ceiling',
      value: figures.chaincodeOverCeiling,
      ok: figures.chaincodeOverCeiling >= thresholds.minChaincodeOverCeiling,
      bound: `≥ ${String(thresholds.minChaincodeOverCeiling)}`,
    },
    {
      name: 'gateway/ceiling',
      value: figures.gatewayOverCeiling,
      ok: figures.gatewayOverCeiling >= thresholds.minGatewayOverCeiling,
      bound: `≥ ${String(thresholds.minGatewayOverCeiling)}`,
    },
    {
      name: 'gateway CPU ms per transition',
      value: figures.gatewayCpuMsPerTransition,
      // NaN (no transition completed) fails.
      ok: figures.gatewayCpuMsPerTransition <= thresholds.maxGatewayCpuMsPerTransition,
      bound: `≤ ${String(thresholds.maxGatewayCpuMsPerTransition)}`,
    },
  ];
  const noisy = Object.entries(figures.stealPercent).filter(([, percent]) => percent > NOISY_STEAL_PERCENT);
  const lines = checks.map(
    (check) => `${check.ok ? 'ok  ' : 'FAIL'} ${check.name} ${String(check.value)} (${check.bound})`,
  );
  if (noisy.length > 0)
    lines.push(
      `noisy: ${noisy.map(([layer, percent]) => `${layer} ${String(percent)} % steal`).join(', ')} (over ${String(NOISY_STEAL_PERCENT)} %)`,
    );
  return { passed: checks.every((check) => check.ok), lines };
}
