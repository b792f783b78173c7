import { expect } from 'chai';
import {
  hasApplicationOrg,
  mspIdOfDefinition,
  OrgAlreadyInChannelError,
  signersOfUpdate,
  withApplicationOrg,
} from './channelOrgAddition';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function org(mspId: string) {
  return {
    mod_policy: 'Admins',
    values: { MSP: { mod_policy: 'Admins', value: { config: { name: mspId, root_certs: [b64(mspId)] } } } },
  };
}

// The shape `configtxlator proto_decode --type common.Config` prints (trimmed).
function channelConfig() {
  return {
    sequence: '4',
    channel_group: {
      groups: {
        Application: { groups: { MarketA: org('MarketAMSP'), MarketB: org('MarketBMSP') } },
        Orderer: { groups: { Orderer: org('OrdererMSP') } },
      },
    },
  };
}

describe('adding an application org to the channel config', () => {
  it("adds the org's definition under its name, leaving the input untouched", () => {
    const before = channelConfig();
    const definition = { ...org('MarketCMSP'), values: { ...org('MarketCMSP').values, AnchorPeers: {} } };
    const after = withApplicationOrg(before, 'MarketC', definition);
    expect(before).to.deep.equal(channelConfig());
    expect(hasApplicationOrg(after, 'MarketC')).to.equal(true);
    expect(hasApplicationOrg(before, 'MarketC')).to.equal(false);
    const expected = channelConfig() as { channel_group: { groups: { Application: { groups: object } } } };
    expected.channel_group.groups.Application.groups = {
      ...expected.channel_group.groups.Application.groups,
      MarketC: definition,
    };
    expect(after).to.deep.equal(expected);
  });

  it('refuses a name or an MSP ID the channel already has, and a definition with no MSP ID', () => {
    expect(() => withApplicationOrg(channelConfig(), 'MarketA', org('MarketCMSP'))).to.throw(
      OrgAlreadyInChannelError,
      /MarketA is already an org/,
    );
    expect(() => withApplicationOrg(channelConfig(), 'MarketC', org('MarketBMSP'))).to.throw(
      OrgAlreadyInChannelError,
      /MarketB already uses the MSP ID MarketBMSP/,
    );
    expect(() => withApplicationOrg(channelConfig(), 'MarketC', { values: {} })).to.throw(/names no MSP ID/);
    expect(() => mspIdOfDefinition(org('MarketCMSP'))).not.to.throw();
  });

  it('lists the signers of a decoded config update envelope in order', () => {
    const signature = (mspid: string) => ({ signature_header: { creator: { mspid, id_bytes: 'x' } } });
    const envelope = {
      payload: { data: { signatures: [signature('MarketAMSP'), signature('OversightMSP')] } },
    };
    expect(signersOfUpdate(envelope)).to.deep.equal(['MarketAMSP', 'OversightMSP']);
    expect(signersOfUpdate({ payload: { data: {} } })).to.deep.equal([]);
  });
});
