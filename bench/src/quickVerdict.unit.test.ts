import { expect } from 'chai';
import { quickThresholds, quickVerdict } from './quickVerdict';

const passing = {
  ceilingTps: 100,
  chaincodeOverCeiling: 0.7,
  gatewayOverCeiling: 0.5,
  gatewayCpuMsPerTransition: 5,
  stealPercent: { ceiling: 2, chaincode: 3, gateway: 4 },
};
const thresholds = {
  minChaincodeOverCeiling: 0.6,
  minGatewayOverCeiling: 0.4,
  maxGatewayCpuMsPerTransition: 8,
};

describe('bench:quick verdict', () => {
  it('passes when every ratio is above its floor and the gateway CPU under its cap', () => {
    expect(quickVerdict(passing, thresholds).passed).to.equal(true);
  });

  it('fails on a ratio below its floor, naming it', () => {
    const verdict = quickVerdict({ ...passing, gatewayOverCeiling: 0.3 }, thresholds);
    expect(verdict.passed).to.equal(false);
    expect(verdict.lines).to.include('FAIL gateway/ceiling 0.3 (≥ 0.4)');
  });

  it('fails when no gateway transition completed (CPU per transition unknown)', () => {
    expect(quickVerdict({ ...passing, gatewayCpuMsPerTransition: NaN }, thresholds).passed).to.equal(false);
  });

  it('names a layer stolen more than 10 % as noisy without excusing it', () => {
    const verdict = quickVerdict({ ...passing, stealPercent: { ceiling: 12 } }, thresholds);
    expect(verdict.passed).to.equal(true);
    expect(verdict.lines.at(-1)).to.match(/^noisy: ceiling 12 % steal/);
  });

  it('takes its thresholds from the environment when set', () => {
    expect(quickThresholds({ BENCH_QUICK_MIN_GATEWAY_RATIO: '0.8' }).minGatewayOverCeiling).to.equal(0.8);
  });
});
