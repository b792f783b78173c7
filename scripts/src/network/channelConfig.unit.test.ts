import { expect } from 'chai';
import { channelMembersOf } from './channelConfig';
import { parseCommittedDefinition } from './chaincodeDeployment';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function msp(name: string) {
  return {
    MSP: {
      value: {
        config: {
          name,
          root_certs: [b64(`${name} ca`)],
          tls_root_certs: [b64(`${name} tls ca`)],
          fabric_node_ous: {
            enable: true,
            admin_ou_identifier: { organizational_unit_identifier: 'admin' },
            peer_ou_identifier: { organizational_unit_identifier: 'peer' },
          },
        },
      },
    },
  };
}

// The shape `configtxlator proto_decode --type common.Block` prints for a config block.
const decodedBlock = {
  data: {
    data: [
      {
        payload: {
          header: { channel_header: { channel_id: 'marketplace' } },
          data: {
            config: {
              channel_group: {
                groups: {
                  Application: {
                    groups: {
                      MarketA: {
                        values: {
                          ...msp('MarketAMSP'),
                          AnchorPeers: { value: { anchor_peers: [{ host: '10.0.0.1', port: 7051 }] } },
                        },
                      },
                    },
                  },
                  Orderer: {
                    values: {
                      ConsensusType: {
                        value: { metadata: { consenters: [{ host: '10.0.0.9', port: 7050 }] } },
                      },
                    },
                    groups: {
                      Orderer: {
                        values: {
                          ...msp('OrdererMSP'),
                          Endpoints: { value: { addresses: ['10.0.0.9:7050'] } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('channel configuration reader', () => {
  it('reads each org’s MSP, anchor peers or orderer endpoints, and the Raft consenters', () => {
    const members = channelMembersOf(decodedBlock);
    expect(members.channel).to.equal('marketplace');
    expect(members.consenters).to.deep.equal(['10.0.0.9:7050']);
    expect(members.orgs).to.deep.equal([
      {
        name: 'MarketA',
        kind: 'application',
        msp: {
          mspId: 'MarketAMSP',
          rootCerts: ['MarketAMSP ca'],
          tlsRootCerts: ['MarketAMSP tls ca'],
          nodeOus: { admin: 'admin', peer: 'peer' },
        },
        anchorPeers: ['10.0.0.1:7051'],
        ordererEndpoints: [],
      },
      {
        name: 'Orderer',
        kind: 'orderer',
        msp: {
          mspId: 'OrdererMSP',
          rootCerts: ['OrdererMSP ca'],
          tlsRootCerts: ['OrdererMSP tls ca'],
          nodeOus: { admin: 'admin', peer: 'peer' },
        },
        anchorPeers: [],
        ordererEndpoints: ['10.0.0.9:7050'],
      },
    ]);
  });
});

describe('committed chaincode definition reader', () => {
  it('reads version, sequence, collection names and approvals from querycommitted JSON after log lines', () => {
    const output =
      'INFO some log line\n' +
      JSON.stringify({
        sequence: 2,
        version: 'v2',
        collections: { config: [{ Payload: { StaticCollectionConfig: { name: 'escrowTerms_MarketA' } } }] },
        approvals: { MarketAMSP: true, MarketBMSP: false },
      });
    expect(parseCommittedDefinition('escrow', output)).to.deep.equal({
      name: 'escrow',
      sequence: 2,
      version: 'v2',
      collections: ['escrowTerms_MarketA'],
      approvals: { MarketAMSP: true, MarketBMSP: false },
    });
  });
});
