import { expect } from 'chai';
import { revocationListOf, UnknownChannelOrgError, withRevocationList } from './mspRevocation';
import { applicationOrgNames, configUpdateEnvelope, majoritySigners } from './channelUpdate';

const crl = (n: number) => `-----BEGIN X509 CRL-----\nCRL${String(n)}\n-----END X509 CRL-----\n`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

function org(name: string, revocationList?: string[]) {
  const config: Record<string, unknown> = { name: `${name}MSP`, root_certs: [b64(`${name} ca`)] };
  if (revocationList !== undefined) config['revocation_list'] = revocationList;
  return { mod_policy: 'Admins', values: { MSP: { mod_policy: 'Admins', value: { config, type: 0 } } } };
}

// The shape `configtxlator proto_decode --type common.Config` prints (trimmed).
function channelConfig() {
  return {
    sequence: '4',
    channel_group: {
      groups: {
        Application: {
          groups: {
            MarketA: org('MarketA'),
            MarketB: org('MarketB', [b64(crl(0))]),
            Oversight: org('Oversight'),
          },
        },
        Orderer: { groups: { Orderer: org('Orderer') } },
      },
    },
  };
}

describe('MSP revocation list in the channel config', () => {
  it("puts the CRL into the org's MSP only, as base64 PEM, leaving the input untouched", () => {
    const before = channelConfig();
    const after = withRevocationList(before, 'MarketA', crl(1));
    expect(before).to.deep.equal(channelConfig());
    expect(revocationListOf(after, 'MarketA')).to.deep.equal([crl(1)]);
    const expected = channelConfig();
    expected.channel_group.groups.Application.groups.MarketA = org('MarketA', [b64(crl(1))]);
    expect(after).to.deep.equal(expected);
  });

  it("replaces the org's older CRL with its CA's newest one", () => {
    const after = withRevocationList(channelConfig(), 'MarketB', crl(2));
    expect(revocationListOf(after, 'MarketB')).to.deep.equal([crl(2)]);
    expect(revocationListOf(channelConfig(), 'MarketB')).to.deep.equal([crl(0)]);
  });

  it('refuses an org that is not an application org of the channel, and text that is no CRL', () => {
    expect(() => withRevocationList(channelConfig(), 'MarketC', crl(1))).to.throw(UnknownChannelOrgError);
    expect(() => withRevocationList(channelConfig(), 'Orderer', crl(1))).to.throw(UnknownChannelOrgError);
    expect(() => revocationListOf(channelConfig(), 'MarketC')).to.throw(/MarketC is not an application org/);
    expect(() => withRevocationList(channelConfig(), 'MarketA', 'not a crl')).to.throw(/not PEM/);
  });
});

describe('channel config update signers', () => {
  it('reads the application orgs of a config', () => {
    expect(applicationOrgNames(channelConfig())).to.deep.equal(['MarketA', 'MarketB', 'Oversight']);
    expect(applicationOrgNames({})).to.deep.equal([]);
  });

  it('takes a majority of the orgs, the required ones first', () => {
    const orgs = ['MarketA', 'MarketB', 'Oversight'];
    expect(majoritySigners(orgs, ['Oversight'])).to.deep.equal(['Oversight', 'MarketA']);
    expect(majoritySigners(orgs, [])).to.deep.equal(['MarketA', 'MarketB']);
    expect(majoritySigners([...orgs, 'MarketC'], ['MarketC'])).to.deep.equal([
      'MarketC',
      'MarketA',
      'MarketB',
    ]);
    expect(majoritySigners(['MarketA'], ['MarketA'])).to.deep.equal(['MarketA']);
    expect(() => majoritySigners(orgs, ['MarketC'])).to.throw(/MarketC is not an application org/);
  });

  it('wraps a config update in a CONFIG_UPDATE envelope for the channel', () => {
    expect(configUpdateEnvelope('marketplace', { write_set: {} })).to.deep.equal({
      payload: {
        header: { channel_header: { channel_id: 'marketplace', type: 2 } },
        data: { config_update: { write_set: {} } },
      },
    });
  });
});
