import { expect } from 'chai';
import { lagPoints, withSample } from './lagHistory';

describe('console: the mirror lag history the consortium page samples', () => {
  it('keeps the newest samples up to the limit, oldest first', () => {
    let history = withSample([], { at: 1, lagBlocks: 3 }, 2);
    history = withSample(history, { at: 2, lagBlocks: 1 }, 2);
    history = withSample(history, { at: 3, lagBlocks: 0 }, 2);
    expect(history).to.deep.equal([
      { at: 2, lagBlocks: 1 },
      { at: 3, lagBlocks: 0 },
    ]);
  });

  it('charts only the samples whose lag was known, labelled by their time', () => {
    const points = lagPoints(
      [
        { at: 1000, lagBlocks: 2 },
        { at: 2000, lagBlocks: null },
        { at: 3000, lagBlocks: 0 },
      ],
      (at) => `t${String(at / 1000)}`,
    );
    expect(points).to.deep.equal([
      { label: 't1', value: 2 },
      { label: 't3', value: 0 },
    ]);
  });
});
