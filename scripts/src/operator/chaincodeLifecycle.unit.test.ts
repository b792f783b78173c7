import { expect } from 'chai';
import { describeApprovals, majorityApproved } from './chaincodeLifecycle';

describe('operator command line: chaincode approvals', () => {
  it('needs more than half of the orgs for a commit', () => {
    expect(majorityApproved({ MarketAMSP: true, MarketBMSP: false, OversightMSP: false })).to.equal(false);
    expect(majorityApproved({ MarketAMSP: true, MarketBMSP: false, OversightMSP: true })).to.equal(true);
    expect(majorityApproved({ A: true, B: true, C: false, D: false })).to.equal(false);
    expect(majorityApproved({})).to.equal(false);
  });

  it('names the orgs that approved', () => {
    expect(describeApprovals({ OversightMSP: true, MarketAMSP: true, MarketBMSP: false })).to.equal(
      '2 of 3 orgs approved (MarketAMSP, OversightMSP)',
    );
  });
});
