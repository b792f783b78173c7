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

  it("gives each step's p50 on both sides, beside the p50 over all six that the target judges", () => {
    // Six steps per lifecycle, ten lifecycles: each step straight takes 300 + 30·i ms (i the lifecycle);
    // through the gateway 5 ms more, and the fund 45 ms more.
    const samples = (extra: (position: number) => number) =>
      [0, 1, 2, 3, 4, 5].map((position) =>
        Array.from({ length: 10 }, (_, lifecycle) => 300 + 30 * lifecycle + extra(position)),
      );
    const withSamples = (byPosition: number[][], p50: number): StepResult =>
      step(p50, 600, { latenciesByPosition: byPosition });
    const straight = withSamples(
      samples(() => 0),
      435,
    );
    const through = withSamples(
      samples((position) => (position === 2 ? 45 : 5)),
      447,
    );
    const targets = latencyTargets('250ms', straight, through, undefined);
    expect(targets.lowRate).to.include({ gatewayAddsP50Ms: 12, met: true });
    expect(targets.lowRate.byStep.map((row) => [row.step, row.chaincodeP50Ms, row.addedMs])).to.deep.equal([
      ['create', 420, 5],
      ['accept', 420, 5],
      ['fund', 420, 45],
      ['ship', 420, 5],
      ['confirm delivery', 420, 5],
      ['release', 420, 5],
    ]);
    // Without the samples by step (the sweeps' steps keep none) there is no row.
    expect(latencyTargets('250ms', step(400, 600), step(412, 650), undefined).lowRate.byStep).to.deep.equal(
      [],
    );
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
