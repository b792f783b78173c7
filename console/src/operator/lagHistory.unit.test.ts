import { expect } from 'chai';
import { lagPoints } from './lagHistory';

describe("console: the mirror's lag per minute from the gateway", () => {
  it("charts each minute's p95, oldest first, labelled by the minute it starts", () => {
    const points = lagPoints(
      [
        { start: '2026-12-01T02:10:00.000Z', transitions: 42, p50Ms: 410, p95Ms: 655, maxMs: 910 },
        { start: '2026-12-01T02:12:00.000Z', transitions: 3, p50Ms: 380, p95Ms: 402, maxMs: 402 },
      ],
      (start) => start.toISOString().slice(11, 16),
    );
    expect(points).to.deep.equal([
      { label: '02:10', value: 655 },
      { label: '02:12', value: 402 },
    ]);
  });

  it('has no points when nothing was mirrored in the window', () => {
    expect(lagPoints([], (start) => start.toISOString())).to.deep.equal([]);
  });
});
