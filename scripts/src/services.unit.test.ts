import { expect } from 'chai';
import { Runner } from './runner/runner';
import { orgServices, ordererOrgServices, systemServices } from './services';

const names = (services: { name: string }[]) => services.map((service) => service.name);
const quiet = () => undefined;

describe('the service list, built per org', () => {
  it('runs one org’s Fabric nodes alone: its CA, peer, the package installed and its chaincode server', () => {
    const marketA = orgServices('MarketA');
    expect(names(marketA)).to.have.members([
      'chaincode-package',
      'chaincode-install',
      'ca-marketa',
      'crypto-marketa',
      'peer-marketa',
      'chaincode-marketa',
    ]);
    // Every dependency is in the org's own list: nothing of another org or of the platform.
    expect(() => new Runner(marketA, quiet)).not.to.throw();
  });

  it('runs the orderers of one host alone, the orderer org’s CA only with all of them', () => {
    expect(names(orgServices('Orderer', ['orderer2']))).to.deep.equal(['orderer2']);
    expect(names(ordererOrgServices())).to.deep.equal([
      'ca-orderer',
      'crypto-orderer',
      'orderer1',
      'orderer2',
      'orderer3',
    ]);
    expect(() => new Runner(orgServices('Orderer', ['orderer2']), quiet)).not.to.throw();
  });

  it('assembles the demo consortium from every org’s services, the channel and the platform', () => {
    const services = systemServices();
    expect(() => new Runner(services, quiet)).not.to.throw();
    for (const org of ['MarketA', 'MarketB', 'Oversight'])
      expect(names(services)).to.include.members(
        names(orgServices(org)).filter((name) => !name.startsWith('chaincode-install')),
      );
    expect(names(services)).to.include.members([
      'channel-orderers',
      'chaincode-deploy',
      'gateway-marketa',
      'gateway-marketb',
      'gateway-oversight',
      'stripe-mock',
      'mirror',
    ]);
    expect(names(services)).not.to.include('chaincode-install');
  });
});
