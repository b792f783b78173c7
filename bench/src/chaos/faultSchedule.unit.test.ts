import { expect } from 'chai';
import { describeSchedule, faultSchedule, FAULT_KINDS } from './faultSchedule';

describe('chaos fault schedule', () => {
  it('is the same for the same seed and differs for another seed', () => {
    const options = { seed: 42, faults: 30, windowMs: 600_000 };
    expect(faultSchedule(options)).to.deep.equal(faultSchedule(options));
    expect(describeSchedule(faultSchedule(options))).to.not.deep.equal(
      describeSchedule(faultSchedule({ ...options, seed: 43 })),
    );
  });

  it('covers every kind once the run has at least as many faults as kinds', () => {
    const faults = faultSchedule({ seed: 7, faults: FAULT_KINDS.length, windowMs: 60_000 });
    expect(new Set(faults.map((fault) => fault.kind))).to.have.lengthOf(FAULT_KINDS.length);
  });

  it('keeps every fault inside the window, in order, with bounded pauses', () => {
    const faults = faultSchedule({ seed: 1, faults: 50, windowMs: 480_000 });
    expect(faults).to.have.lengthOf(50);
    for (const [i, fault] of faults.entries()) {
      expect(fault.atMs).to.be.within(0, 480_000);
      expect(fault.pauseMs).to.be.within(2000, 6000);
      expect(fault.pick).to.be.within(0, 1);
      if (i > 0) expect(fault.atMs).to.be.at.least(faults[i - 1]!.atMs);
    }
  });

  it('draws only the kinds it is given', () => {
    const faults = faultSchedule({ seed: 3, faults: 12, windowMs: 60_000, kinds: ['mirror', 'redis'] });
    expect(new Set(faults.map((fault) => fault.kind))).to.deep.equal(new Set(['mirror', 'redis']));
  });
});
