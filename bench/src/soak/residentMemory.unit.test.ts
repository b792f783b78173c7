import { expect } from 'chai';
import { residentMiB, slopeMiBPerMinute, vmRssKiB } from './residentMemory';

describe('soak: resident memory', () => {
  it('reads VmRSS from a /proc status text, 0 when the process has none', () => {
    expect(vmRssKiB('Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t   51234 kB\nThreads:\t11\n')).to.equal(51234);
    expect(vmRssKiB('Name:\tkthreadd\nState:\tS (sleeping)\n')).to.equal(0);
  });

  it('gives a leak its slope in MiB per minute and a flat series zero', () => {
    const leaking = [0, 5, 10, 15, 20].map((minute) => ({ minute, mib: 100 + 2 * minute }));
    expect(slopeMiBPerMinute(leaking)).to.equal(2);
    expect(slopeMiBPerMinute([0, 5, 10].map((minute) => ({ minute, mib: 80 })))).to.equal(0);
    expect(slopeMiBPerMinute([{ minute: 3, mib: 1 }])).to.equal(0);
  });

  it('counts this process under the name it is given', () => {
    const usage = residentMiB(new Map([['self', process.pid]]));
    expect(usage.get('self')).to.be.greaterThan(1);
  });
});
