import { expect } from 'chai';
import { PeerProfilingSettingError, peerProfileAddress } from './peerProfiling';

describe('peer profiling setting', () => {
  it('is off unless asked for, and then listens on loopback only', () => {
    expect(peerProfileAddress(7060, {})).to.equal(undefined);
    expect(peerProfileAddress(7060, { P2P_PEER_PROFILING: 'off' })).to.equal(undefined);
    expect(peerProfileAddress(7060, { P2P_PEER_PROFILING: 'on', P2P_HOST_ADDRESS: '10.0.0.5' })).to.equal(
      '127.0.0.1:7060',
    );
  });

  it('refuses anything else with a stable code', () => {
    expect(() => peerProfileAddress(7060, { P2P_PEER_PROFILING: 'yes' }))
      .to.throw(PeerProfilingSettingError, /on or off/)
      .with.property('code', 'PEER_PROFILING_SETTING_INVALID');
  });
});
