import { expect } from 'chai';
import {
  checkEndpointUrl,
  forbiddenReason,
  parseCidr,
  PUBLIC_ONLY,
  WEBHOOK_ENDPOINT_FORBIDDEN,
  WebhookEndpointForbiddenError,
  type LookupAll,
} from './endpointPolicy';

const resolvesTo =
  (...addresses: string[]): LookupAll =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

async function refusal(url: string, lookup: LookupAll, policy = PUBLIC_ONLY): Promise<string> {
  return checkEndpointUrl(url, policy, lookup).then(
    () => 'allowed',
    (error: unknown) => (error instanceof WebhookEndpointForbiddenError ? error.code : String(error)),
  );
}

describe('webhook endpoint policy', () => {
  it('refuses loopback, private, link-local, metadata, CGNAT, unique-local, mapped and NAT64 addresses', () => {
    const refused = [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.20',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '::7f00:1',
      '2002:7f00:1::1',
    ];
    for (const address of refused) expect(forbiddenReason(address, PUBLIC_ONLY), address).to.be.a('string');
  });

  it('allows public unicast addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(forbiddenReason(address, PUBLIC_ONLY), address).to.equal(undefined);
  });

  it('allows exactly the allow-listed ranges and nothing beside them', () => {
    const local = { allowed: [parseCidr('127.0.0.1'), parseCidr('10.20.0.0/16')] };

    expect(forbiddenReason('127.0.0.1', local)).to.equal(undefined);
    expect(forbiddenReason('::ffff:127.0.0.1', local)).to.equal(undefined);
    expect(forbiddenReason('10.20.3.4', local)).to.equal(undefined);
    expect(forbiddenReason('127.0.0.2', local)).to.match(/loopback/);
    expect(forbiddenReason('10.21.0.1', local)).to.match(/private/);
    expect(forbiddenReason('::1', local)).to.match(/loopback/);
  });

  it('refuses an IP literal URL without resolving it', async () => {
    const lookup: LookupAll = () => Promise.reject(new Error('no lookup for a literal'));

    expect(await refusal('http://169.254.169.254/latest/meta-data/', lookup)).to.equal(
      WEBHOOK_ENDPOINT_FORBIDDEN,
    );
    expect(await refusal('http://[::1]:19000/', lookup)).to.equal(WEBHOOK_ENDPOINT_FORBIDDEN);
    expect(await refusal('https://8.8.8.8/hooks', lookup)).to.equal('allowed');
  });

  it('refuses a host name when any one of its addresses is forbidden', async () => {
    expect(await refusal('https://partner.example/hooks', resolvesTo('93.184.216.34'))).to.equal('allowed');
    expect(await refusal('https://partner.example/hooks', resolvesTo('93.184.216.34', '10.0.0.5'))).to.equal(
      WEBHOOK_ENDPOINT_FORBIDDEN,
    );
  });

  it('refuses a host name that does not resolve', async () => {
    const nowhere: LookupAll = () => Promise.reject(new Error('ENOTFOUND'));

    expect(await refusal('https://nowhere.example/', nowhere)).to.equal(WEBHOOK_ENDPOINT_FORBIDDEN);
  });
});
