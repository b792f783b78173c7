import { expect } from 'chai';
import * as path from 'node:path';
import { parseAddressOptions } from '../network/orgAddresses';
import { hostAddress } from '../env/portPlan';
import { ownHostEnvironment } from './ownHost';

describe('operator command line: an org on its own host', () => {
  it('turns --state and the first bare --address into the state directory and host address', () => {
    expect(
      ownHostEnvironment([
        'org',
        'init',
        'Orderer',
        '--state',
        'o',
        '--address',
        'orderer2=10.0.0.12',
        '--address',
        '10.0.0.11',
      ]),
    ).to.deep.equal({ P2P_STATE_DIR: path.resolve('o'), P2P_HOST_ADDRESS: '10.0.0.11' });
    expect(ownHostEnvironment(['peer', 'join', 'MarketA'])).to.deep.equal({});
  });

  it('records the org’s host and the orderers on hosts of their own', () => {
    expect(parseAddressOptions(['10.0.0.11', 'orderer3=10.0.0.13'], '127.0.0.1')).to.deep.equal({
      host: '10.0.0.11',
      nodes: { orderer3: '10.0.0.13' },
    });
    expect(parseAddressOptions([], '127.0.0.1')).to.deep.equal({ host: '127.0.0.1', nodes: {} });
  });

  it('binds the port plan’s host unless P2P_HOST_ADDRESS names another, and refuses a malformed one', () => {
    expect(hostAddress('127.0.0.1', {})).to.equal('127.0.0.1');
    expect(hostAddress('127.0.0.1', { P2P_HOST_ADDRESS: '10.88.0.21' })).to.equal('10.88.0.21');
    expect(() => hostAddress('127.0.0.1', { P2P_HOST_ADDRESS: '10.0.0.1:7051' })).to.throw(
      /P2P_HOST_ADDRESS must be/,
    );
  });
});
