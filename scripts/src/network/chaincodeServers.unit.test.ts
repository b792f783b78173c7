import { expect } from 'chai';
import { ChaincodeServersSettingError, chaincodeServersShared } from './chaincodeDeployment';

describe('chaincode servers setting', () => {
  it('runs one server per org unless told to share one', () => {
    expect(chaincodeServersShared({})).to.equal(false);
    expect(chaincodeServersShared({ P2P_CHAINCODE_SERVERS: 'per-org' })).to.equal(false);
    expect(chaincodeServersShared({ P2P_CHAINCODE_SERVERS: 'shared' })).to.equal(true);
  });

  it('refuses anything else with a stable code', () => {
    expect(() => chaincodeServersShared({ P2P_CHAINCODE_SERVERS: '2' }))
      .to.throw(ChaincodeServersSettingError, /per-org or shared/)
      .with.property('code', 'CHAINCODE_SERVERS_SETTING_INVALID');
  });
});
