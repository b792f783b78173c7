import { expect } from 'chai';
import { cpuPerTransaction, cpuPerTransactionTable } from './cpuPerTransaction';
import type { ProcessUsage } from './procSampler';

const usage = (name: string, cpuPercentMean: number): ProcessUsage => ({
  name,
  pids: [1],
  cpuPercentMean,
  cpuPercentMax: cpuPercentMean,
  rssMiBMean: 50,
  rssMiBMax: 50,
});

describe('cpuPerTransaction', () => {
  it('charges each process its CPU above rest, per achieved transaction', () => {
    const cost = cpuPerTransaction(
      [usage('peer', 2), usage('kafka', 5)],
      [usage('peer', 42), usage('kafka', 9), usage('bench', 20)],
      20,
    );
    // peer: (42 - 2) % of a core = 400 ms/s over 20 tx/s = 20 ms; kafka (9 - 5) → 2 ms; bench 10 ms.
    expect(cost.processes).to.deep.equal([
      { name: 'peer', msPerTransaction: 20 },
      { name: 'bench', msPerTransaction: 10 },
      { name: 'kafka', msPerTransaction: 2 },
    ]);
    expect(cost.totalMsPerTransaction).to.equal(32);
    expect(cost.atRestPercent).to.equal(7);
  });

  it('never charges a process less than nothing (busier at rest than under load)', () => {
    const cost = cpuPerTransaction([usage('keycloak', 3)], [usage('keycloak', 1)], 10);
    expect(cost.processes).to.deep.equal([{ name: 'keycloak', msPerTransaction: 0 }]);
  });

  it('states no cost for a layer that achieved nothing', () => {
    const cost = cpuPerTransaction([usage('peer', 2)], [usage('peer', 50)], 0);
    expect(cost.totalMsPerTransaction).to.be.NaN;
    expect(cost.processes).to.deep.equal([]);
  });

  it('tables the layers side by side, the last layer’s order, small rows left out, total last', () => {
    const ceiling = cpuPerTransaction([], [usage('peer', 50), usage('orderer', 0.3)], 100);
    const chaincode = cpuPerTransaction([], [usage('peer', 40), usage('risk', 10)], 10);
    const table = cpuPerTransactionTable([
      { name: 'ceiling', cost: ceiling },
      { name: 'chaincode', cost: chaincode },
    ]);
    expect(table).to.deep.equal([
      '| process | ceiling (ms/tx) | chaincode (ms/tx) |',
      '| --- | --- | --- |',
      '| peer | 5 | 40 |',
      '| risk | – | 10 |',
      '| **total** | **5** | **50** |',
      '| achieved tx/s | 100 | 10 |',
    ]);
  });
});
