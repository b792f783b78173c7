import { expect } from 'chai';
import { blocksBehind } from './blocksBehind';

describe('console consortium chart: blocks behind the highest peer', () => {
  it('charts each answering peer and the mirror against the highest height', () => {
    const bars = blocksBehind({
      peers: [
        { org: 'Oversight', height: '57' },
        { org: 'MarketA', height: '55' },
        { org: 'MarketB', height: null },
      ],
      mirror: { checkpoint: '53' },
    });
    expect(bars).to.deep.equal([
      { label: 'Oversight peer', value: 0 },
      { label: 'MarketA peer', value: 2 },
      { label: 'mirror', value: 3 },
    ]);
  });

  it('has no bars when no peer answered, and a mirror with no checkpoint is behind by every block', () => {
    expect(blocksBehind({ peers: [{ org: 'MarketA', height: null }], mirror: null })).to.deep.equal([]);
    expect(
      blocksBehind({ peers: [{ org: 'MarketA', height: '3' }], mirror: { checkpoint: null } }),
    ).to.deep.equal([
      { label: 'MarketA peer', value: 0 },
      { label: 'mirror', value: 3 },
    ]);
  });
});
