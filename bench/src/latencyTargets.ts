// The latency targets of a lifecycle step, measured by their own steps after the sweeps: at a low
// offered rate the gateway's step p50 beside the same step straight to the peers (the gateway may add at
// most 15 ms), and at 70 % of the gateway layer's peak its step p99 (at most 2.5 × BatchTimeout + 100 ms).
//
// Beside the p50 over all six steps, each step's own p50 on both sides says whether the gateway adds its
// time to every step alike or to some only (through the gateway the fund is the payment opened at the
// provider, then the provider's event, whose fundEscrow the payments service submits).
import type { GatewayStepStages } from './gatewayStages';
import type { StepResult } from './openLoop';
import { latencySummary } from './stats';

export const MAX_GATEWAY_ADDED_P50_MS = 15;

/** The lifecycle's steps in the order both sides run them (lifecycleSteps.ts, gatewayLayer.ts). */
export const LIFECYCLE_STEP_NAMES = [
  'create',
  'accept',
  'fund',
  'ship',
  'confirm delivery',
  'release',
] as const;

export interface StepP50 {
  readonly step: string;
  readonly chaincodeP50Ms: number;
  readonly gatewayP50Ms: number;
  readonly addedMs: number;
}

/** Fabric's BatchTimeout as the channel config spells it (a Go duration: `250ms`, `2s`, `1.5s`). */
export function durationMs(goDuration: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(goDuration.trim());
  if (match === null) throw new Error(`not a duration: ${goDuration}`);
  const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
  return Number(match[1]) * unit;
}

export interface LatencyTargets {
  readonly lowRate: {
    readonly offeredTps: number;
    readonly chaincodeStepP50Ms: number;
    readonly gatewayStepP50Ms: number;
    readonly gatewayAddsP50Ms: number;
    /** Each step's p50 on both sides (empty without the samples by step). */
    readonly byStep: readonly StepP50[];
    readonly maxAddedMs: number;
    readonly met: boolean;
    /** Where the gateway's step spent its time, from the gateways' own histograms. */
    readonly stages?: GatewayStepStages;
  };
  readonly atSeventyPercent:
    | {
        readonly offeredTps: number;
        readonly achievedTps: number;
        readonly stepP99Ms: number;
        readonly maxP99Ms: number;
        readonly met: boolean;
      }
    | undefined;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function latencyTargets(
  batchTimeout: string,
  lowChaincode: StepResult,
  lowGateway: StepResult,
  atSeventyPercent: StepResult | undefined,
  stages?: GatewayStepStages,
): LatencyTargets {
  const added = round(lowGateway.latencyMs.p50 - lowChaincode.latencyMs.p50);
  const straight = lowChaincode.latenciesByPosition;
  const through = lowGateway.latenciesByPosition;
  const bySteps = straight !== undefined && through !== undefined;
  const p50At = (samples: readonly (readonly number[])[] | undefined, position: number) =>
    latencySummary(samples?.[position] ?? []).p50;
  const positions = LIFECYCLE_STEP_NAMES.map((_, position) => position);
  const byStep = bySteps
    ? positions.map((position) => {
        const chaincodeP50Ms = p50At(straight, position);
        const gatewayP50Ms = p50At(through, position);
        return {
          step: LIFECYCLE_STEP_NAMES[position] ?? String(position),
          chaincodeP50Ms,
          gatewayP50Ms,
          addedMs: round(gatewayP50Ms - chaincodeP50Ms),
        };
      })
    : [];
  const maxP99Ms = 2.5 * durationMs(batchTimeout) + 100;
  // A step with errors or unfinished operations did not meet a latency target, whatever its percentiles.
  const clean = (step: StepResult) => step.errors === 0 && step.unfinished === 0 && step.latencyMs.n > 0;
  return {
    lowRate: {
      offeredTps: lowGateway.offeredTps,
      chaincodeStepP50Ms: lowChaincode.latencyMs.p50,
      gatewayStepP50Ms: lowGateway.latencyMs.p50,
      gatewayAddsP50Ms: added,
      byStep,
      maxAddedMs: MAX_GATEWAY_ADDED_P50_MS,
      met: clean(lowChaincode) && clean(lowGateway) && added <= MAX_GATEWAY_ADDED_P50_MS,
      ...(stages === undefined ? {} : { stages }),
    },
    atSeventyPercent:
      atSeventyPercent === undefined
        ? undefined
        : {
            offeredTps: atSeventyPercent.offeredTps,
            achievedTps: atSeventyPercent.achievedTps,
            stepP99Ms: atSeventyPercent.latencyMs.p99,
            maxP99Ms,
            met: clean(atSeventyPercent) && atSeventyPercent.latencyMs.p99 <= maxP99Ms,
          },
  };
}
