import { expect } from 'chai';
import { durationMs, latencyTargets } from './latencyTargets';
import type { StepResult } from './openLoop';

const step = (p50: number, p99: number, extra: Partial<StepResult> = {}): StepResult => ({
  offeredTps: 5,
  achievedTps: 5,
  overallTps: 5,
  started: 10,
  completedUnits: 60,
  errors: 0,
  retries: 0,
  shed: 0,
  unfinished: 0,
  elapsedSeconds: 20,
  latencyMs: { n: 60, mean: p50, p50, p95: p99, p99, max: p99 },
  errorSamples: [],
  window: { from: 0, to: 1 },
  ...extra,
});

describe('latencyTargets', () => {
  it('reads the channel config’s Go durations', () => {
    expect(durationMs('250ms')).to.equal(250);
    expect(durationMs('2s')).to.equal(2000);
    expect(durationMs('1.5s')).to.equal(1500);
    expect(() => durationMs('soon')).to.throw(/not a duration/);
  });

  it('holds the gateway to 15 ms over the straight step at low load, and to 2.5 × BatchTimeout + 100 ms at 70 %', () => {
    const met = latencyTargets('250ms', step(400, 600), step(412, 650), step(420, 725));
    expect(met.lowRate).to.include({ gatewayAddsP50Ms: 12, met: true });
    expect(met.atSeventyPercent).to.include({ stepP99Ms: 725, maxP99Ms: 725, met: true });
    const missed = latencyTargets('250ms', step(400, 600), step(416, 650), step(420, 726));
    expect(missed.lowRate.met).to.equal(false);
    expect(missed.atSeventyPercent?.met).to.equal(false);
  });

  it('does not call a step with errors or unfinished work on time', () => {
    const targets = latencyTargets(
      '250ms',
      step(400, 600),
      step(401, 650, { errors: 1 }),
      step(300, 400, { unfinished: 2 }),
    );
    expect(targets.lowRate.met).to.equal(false);
    expect(targets.atSeventyPercent?.met).to.equal(false);
  });
});
