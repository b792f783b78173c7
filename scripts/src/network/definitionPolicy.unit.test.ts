import { expect } from 'chai';
import { definitionEndorsementPolicy } from './definitionPolicy';

describe("the chaincode definition's endorsement policy", () => {
  it('asks any two member orgs, in one order whatever order the members are read in', () => {
    const founders = definitionEndorsementPolicy(['OversightMSP', 'MarketAMSP', 'MarketBMSP']);
    expect(founders).to.equal("OutOf(2, 'MarketAMSP.peer', 'MarketBMSP.peer', 'OversightMSP.peer')");
    expect(definitionEndorsementPolicy(['MarketBMSP', 'OversightMSP', 'MarketAMSP'])).to.equal(founders);
    expect(definitionEndorsementPolicy(['MarketAMSP', 'MarketBMSP', 'MarketCMSP', 'OversightMSP'])).to.equal(
      "OutOf(2, 'MarketAMSP.peer', 'MarketBMSP.peer', 'MarketCMSP.peer', 'OversightMSP.peer')",
    );
  });

  it('refuses a channel with fewer than two application orgs', () => {
    expect(() => definitionEndorsementPolicy(['MarketAMSP', 'MarketAMSP'])).to.throw(/two application orgs/);
  });
});
