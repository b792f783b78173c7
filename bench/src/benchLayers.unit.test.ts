import { expect } from 'chai';
import { BENCH_LAYERS, layersToRun } from './benchLayers';

describe('the layers a bench run measures', () => {
  it('are all of them when BENCH_LAYERS is unset or empty', () => {
    expect([...layersToRun(undefined)]).to.deep.equal([...BENCH_LAYERS]);
    expect([...layersToRun(' ')]).to.deep.equal([...BENCH_LAYERS]);
  });

  it('are the named ones alone, spaces and empty names ignored', () => {
    expect([...layersToRun('gateway')]).to.deep.equal(['gateway']);
    expect([...layersToRun(' ceiling , gateway,')]).to.deep.equal(['ceiling', 'gateway']);
  });

  it('refuses a name it does not know instead of measuring less than asked', () => {
    expect(() => layersToRun('gateway,risk')).to.throw('BENCH_LAYERS: unknown risk');
  });
});
