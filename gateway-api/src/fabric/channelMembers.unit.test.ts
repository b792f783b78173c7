// The channel's members read from a configuration block built as Fabric writes one: the Orderer
// group's orgs sign blocks, the Application group's endorse, each with its MSP's CA certificates.
import { common, msp } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { channelMembersOf, lastConfigIndexOf, ordererEndpointsOf } from './channelMembers';

const pem = (name: string) => `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`;

function orgGroup(mspId: string, intermediates: string[] = [], endpoints: string[] = []): common.ConfigGroup {
  const fabric = new msp.FabricMSPConfig();
  fabric.setName(mspId);
  fabric.setRootCertsList([new TextEncoder().encode(pem(`${mspId}-root`))]);
  fabric.setIntermediateCertsList(intermediates.map((name) => new TextEncoder().encode(pem(name))));
  fabric.setTlsRootCertsList([new TextEncoder().encode(pem(`${mspId}-tls-root`))]);
  const config = new msp.MSPConfig();
  config.setConfig(fabric.serializeBinary());
  const value = new common.ConfigValue();
  value.setValue(config.serializeBinary());
  const group = new common.ConfigGroup();
  group.getValuesMap().set('MSP', value);
  if (endpoints.length > 0) {
    const addresses = new common.OrdererAddresses();
    addresses.setAddressesList(endpoints);
    const endpointsValue = new common.ConfigValue();
    endpointsValue.setValue(addresses.serializeBinary());
    group.getValuesMap().set('Endpoints', endpointsValue);
  }
  return group;
}

function sectionOf(orgs: Record<string, common.ConfigGroup>): common.ConfigGroup {
  const section = new common.ConfigGroup();
  for (const [name, group] of Object.entries(orgs)) section.getGroupsMap().set(name, group);
  return section;
}

function configBlock(): common.Block {
  const channel = new common.ConfigGroup();
  channel.getGroupsMap().set(
    'Orderer',
    sectionOf({
      OrdererOrg: orgGroup('OrdererMSP', [], ['orderer1.example:7050', 'orderer2.example:7150']),
    }),
  );
  channel.getGroupsMap().set(
    'Application',
    sectionOf({
      MarketB: orgGroup('MarketBMSP'),
      MarketA: orgGroup('MarketAMSP', ['MarketA-intermediate']),
    }),
  );
  const config = new common.Config();
  config.setChannelGroup(channel);
  const envelope = new common.ConfigEnvelope();
  envelope.setConfig(config);
  const payload = new common.Payload();
  payload.setData(envelope.serializeBinary());
  const outer = new common.Envelope();
  outer.setPayload(payload.serializeBinary());
  const data = new common.BlockData();
  data.setDataList([outer.serializeBinary()]);
  const block = new common.Block();
  block.setData(data);
  return block;
}

describe('gateway channel members from the configuration block', () => {
  it('names each org with its kind and CA certificates, orderers first, each kind by MSP ID', () => {
    expect(channelMembersOf(configBlock())).to.deep.equal([
      {
        mspId: 'OrdererMSP',
        kind: 'orderer',
        rootCertificates: [pem('OrdererMSP-root')],
        intermediateCertificates: [],
      },
      {
        mspId: 'MarketAMSP',
        kind: 'peer',
        rootCertificates: [pem('MarketAMSP-root')],
        intermediateCertificates: [pem('MarketA-intermediate')],
      },
      {
        mspId: 'MarketBMSP',
        kind: 'peer',
        rootCertificates: [pem('MarketBMSP-root')],
        intermediateCertificates: [],
      },
    ]);
  });

  it("names each orderer endpoint of the Orderer group's orgs with its org's TLS CA certificates, and no peer org's", () => {
    expect(ordererEndpointsOf(configBlock())).to.deep.equal([
      {
        mspId: 'OrdererMSP',
        address: 'orderer1.example:7050',
        tlsRootCertificates: [pem('OrdererMSP-tls-root')],
      },
      {
        mspId: 'OrdererMSP',
        address: 'orderer2.example:7150',
        tlsRootCertificates: [pem('OrdererMSP-tls-root')],
      },
    ]);
  });

  it("reads the last configuration block's index from a block's orderer metadata", () => {
    const lastConfig = new common.LastConfig();
    lastConfig.setIndex(7);
    const orderer = new common.OrdererBlockMetadata();
    orderer.setLastConfig(lastConfig);
    const signatures = new common.Metadata();
    signatures.setValue(orderer.serializeBinary());
    const metadata = new common.BlockMetadata();
    metadata.setMetadataList([signatures.serializeBinary()]);
    const block = new common.Block();
    block.setMetadata(metadata);
    expect(lastConfigIndexOf(block)).to.equal(7);
  });
});
