import { expect } from 'chai';
import { cpuTimesOf, peerCallsOf, stealBetween } from './layerCost';

describe('layer cost figures', () => {
  it('reads the aggregate CPU time and its steal from /proc/stat, guest time counted once', () => {
    const stat = 'cpu  100 5 50 800 10 1 4 30 20 0\ncpu0 50 2 25 400 5 0 2 15 10 0\nintr 1\n';
    expect(cpuTimesOf(stat)).to.deep.equal({ total: 1000, steal: 30 });
  });

  it('marks a window stolen more than 10 % as noisy', () => {
    expect(stealBetween({ total: 1000, steal: 30 }, { total: 2000, steal: 80 })).to.deep.equal({
      percent: 5,
      noisy: false,
    });
    expect(stealBetween({ total: 1000, steal: 30 }, { total: 2000, steal: 160 })).to.deep.equal({
      percent: 13,
      noisy: true,
    });
  });

  it('sums the gateway peer-call counters by kind from Prometheus text', () => {
    const text = [
      '# HELP gateway_fabric_peer_calls_total Calls to the peers by kind',
      '# TYPE gateway_fabric_peer_calls_total counter',
      'gateway_fabric_peer_calls_total{kind="evaluate",transaction="readEscrow"} 10',
      'gateway_fabric_peer_calls_total{kind="evaluate",transaction="ping"} 2',
      'gateway_fabric_peer_calls_total{kind="commit_status",transaction="peer-catch-up"} 30',
      'gateway_fabric_retries_total{transaction="x",code="y"} 4',
    ].join('\n');
    expect(peerCallsOf(text)).to.deep.equal({ evaluate: 12, endorse: 0, commit_status: 30 });
  });
});
