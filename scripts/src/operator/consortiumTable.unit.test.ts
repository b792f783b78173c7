import { expect } from 'chai';
import { formatConsortium, table } from './consortiumTable';
import type { ConsortiumView } from './consortiumView';

const view: ConsortiumView = {
  channel: 'marketplace',
  orgs: [
    {
      name: 'MarketA',
      kind: 'application',
      mspId: 'MarketAMSP',
      anchorPeers: ['10.0.0.1:7051'],
      ordererEndpoints: [],
      nodeOus: ['admin', 'peer'],
    },
    {
      name: 'Orderer',
      kind: 'orderer',
      mspId: 'OrdererMSP',
      anchorPeers: [],
      ordererEndpoints: ['10.0.0.9:7050'],
      nodeOus: [],
    },
  ],
  consenters: ['10.0.0.9:7050'],
  peers: [
    { org: 'MarketA', peer: 'peer0.marketa', endpoint: '10.0.0.1:7051', health: 'ok', height: 12 },
    { org: 'MarketB', peer: 'peer0.marketb', endpoint: '10.0.0.2:8051', health: 'unreachable', height: null },
  ],
  orderers: [{ node: 'orderer1', endpoint: '10.0.0.9:7050', health: 'ok' }],
  chaincode: {
    name: 'escrow',
    version: 'abc123',
    sequence: 3,
    collections: ['escrowTerms_MarketA'],
    approvals: { OversightMSP: false, MarketAMSP: true, MarketBMSP: true },
  },
};

describe('operator command line: consortium tables', () => {
  it('aligns columns under their headers', () => {
    expect(
      table(
        ['a', 'bb'],
        [
          ['long', 'x'],
          ['s', 'yyy'],
        ],
      ),
    ).to.deep.equal(['a     bb', 'long  x', 's     yyy']);
  });

  it('shows each org with its endpoints, each peer with health and height, and an unknown height as ?', () => {
    const text = formatConsortium(view);
    expect(text).to.match(/^MarketA\s+MarketAMSP\s+application\s+10\.0\.0\.1:7051\s+admin,peer$/m);
    expect(text).to.match(/^Orderer\s+OrdererMSP\s+orderer\s+10\.0\.0\.9:7050\s+-$/m);
    expect(text).to.match(/^MarketA\s+peer0\.marketa\s+10\.0\.0\.1:7051\s+ok\s+12$/m);
    expect(text).to.match(/^MarketB\s+peer0\.marketb\s+10\.0\.0\.2:8051\s+unreachable\s+\?$/m);
  });

  it('shows the chaincode definition and which orgs approved it, and which did not', () => {
    const text = formatConsortium(view);
    expect(text)
      .to.match(/version\s+abc123/)
      .and.to.match(/sequence\s+3/);
    expect(text).to.include('approved by  2 of 3: MarketAMSP, MarketBMSP (not approved: OversightMSP)');
    expect(formatConsortium({ ...view, chaincode: null })).to.include('no definition committed');
  });
});
