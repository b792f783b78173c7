import { expect } from 'chai';
import { tuningRow, tuningTable, type BenchReport } from './tuningTable';

const step = (offeredTps: number, achievedTps: number, p50: number, p99: number) => ({
  offeredTps,
  achievedTps,
  latencyMs: { p50, p99 },
});

const report: BenchReport = {
  ordering: { batchTimeout: '250ms', maxMessageCount: 100 },
  summary: { ceilingTps: 150.5, chaincodeTps: 110, gatewayTps: 80.2 },
  layers: [
    {
      layer: 'ceiling',
      steps: [step(60, 60, 300, 400), step(120, 150.5, 500, 900)],
      bestStep: step(120, 150.5, 500, 900),
      processes: [{ cpuPercentMean: 40.4 }, { cpuPercentMean: 100.3 }],
      blocks: { meanTransactions: 37.5, meanIntervalMs: 260 },
    },
    {
      layer: 'chaincode',
      steps: [step(20, 19.8, 310, 420)],
      processes: [],
      blocks: { meanTransactions: 5, meanIntervalMs: 255 },
    },
  ],
};

describe('tuning matrix rows', () => {
  it('takes throughput from the summary, the floor from the lowest step and sums CPU at the ceiling', () => {
    const row = tuningRow('BatchTimeout 250ms', { P2P_BATCH_TIMEOUT: '250ms' }, report, 'r.json', 480);
    expect(row.ordering).to.equal('250ms / 100');
    expect(row.figures).to.deep.include({
      ceilingTps: 150.5,
      gatewayTps: 80.2,
      ceilingP99MsAtBest: 900,
      chaincodeStepP50MsAtLowest: 310,
      ceilingBlockMeanTx: 37.5,
      cpuPercentAtCeiling: 141,
      cpuCalibrationMs: 480,
    });
    expect(row.figures.gatewayStepP50MsAtLowest).to.be.NaN;
  });

  it('renders one Markdown row per setting under the bench settings used', () => {
    const table = tuningTable([tuningRow('defaults', {}, report, 'r.json', 480)], {
      BENCH_STEP_SECONDS: '15',
    });
    expect(table).to.contain('BENCH_STEP_SECONDS=15');
    expect(table).to.match(
      /\| defaults \| 250ms \/ 100 \| 150\.5 \| 110 \| 80\.2 \| 900 \| 310 \| NaN \| 37\.5 \| 260 \| 141 \| 480 \|/,
    );
  });
});
