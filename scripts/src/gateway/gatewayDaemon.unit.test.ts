import { expect } from 'chai';
import { stripeEnvironment, stripeWebhookSecret } from '../payments/stripeMock';
import { portPlan } from '../env/portPlan';
import { gatewayRegistrarSecret } from '../network/certificateAuthority';
import { realmUrlOf } from '../platform/keycloak';
import { identityProviderOf } from '../platform/identityProvider';
import { systemServices } from '../services';
import {
  gatewayDaemon,
  gatewayEnvironment,
  gatewayOrgAt,
  gatewayOrgs,
  gatewayServiceName,
  gatewayUrl,
  providerEnvironment,
} from './gatewayDaemon';

describe('one gateway per org', () => {
  it('runs a gateway daemon for each peer org, Oversight included, on its own port', () => {
    expect(gatewayOrgs).to.deep.equal(['MarketA', 'MarketB', 'Oversight']);
    const names = systemServices().map((service) => service.name);
    for (const org of gatewayOrgs) expect(names).to.include(gatewayServiceName(org));
    const ports = gatewayOrgs.map((org) => gatewayDaemon(org, []).ports);
    expect(ports[0]).to.deep.equal([18000]);
    expect(new Set(ports.flat()).size).to.equal(gatewayOrgs.length);
    // A joining marketplace's gateway port is planned too (MarketC), for its own host.
    expect(Object.keys(portPlan.gateway)).to.include.members(gatewayOrgs);
    for (const org of gatewayOrgs) expect(gatewayOrgAt(`${gatewayUrl(org)}/v1/escrows`)).to.equal(org);
  });

  for (const org of ['MarketA', 'MarketB', 'Oversight']) {
    it(`gives ${org}'s gateway its own org, realm, CA and registrar secret, and no other org's secret`, () => {
      const env = gatewayEnvironment(org);
      const ORG = org.toUpperCase();
      expect(env['P2P_FABRIC_ORG']).to.equal(org);
      expect(env['P2P_KEYCLOAK_ISSUER']).to.equal(realmUrlOf(org));
      expect(env['P2P_KEYCLOAK_JWKS_URL']).to.equal(`${realmUrlOf(org)}/protocol/openid-connect/certs`);
      expect(env[`P2P_FABRIC_ORG_${ORG}_REGISTRAR_SECRET`]).to.equal(gatewayRegistrarSecret(org));
      const values = Object.values(env);
      for (const other of gatewayOrgs.filter((candidate) => candidate !== org)) {
        const OTHER = other.toUpperCase();
        expect(values, `${other}'s registrar secret`).not.to.include(gatewayRegistrarSecret(other));
        // Another org's peer is public material (to wait for a write to reach it); its CA is not.
        expect(env).to.include.keys(`P2P_FABRIC_ORG_${OTHER}_PEER_ENDPOINT`);
        for (const setting of ['CA_URL', 'CA_NAME', 'CA_TLS_ROOT_CERT', 'REGISTRAR_ID', 'REGISTRAR_SECRET'])
          expect(env).not.to.have.property(`P2P_FABRIC_ORG_${OTHER}_${setting}`);
        expect(env['P2P_KEYCLOAK_ISSUER']).not.to.equal(realmUrlOf(other));
      }
    });
  }

  it("has a marketplace's gateway search its own projection, Oversight's the auditor's", () => {
    for (const org of ['MarketA', 'MarketB']) {
      const url = new URL(gatewayEnvironment(org)['P2P_PROJECTION_DATABASE_URL'] ?? '');
      expect([url.username, url.pathname]).to.deep.equal([
        `escrow_gateway_${org.toLowerCase()}`,
        `/projection_${org.toLowerCase()}`,
      ]);
    }
    expect(gatewayEnvironment('Oversight')).not.to.have.property('P2P_PROJECTION_DATABASE_URL');
  });

  it('reaches the payment provider without the webhook endpoint secret, which could forge funding events', () => {
    for (const org of gatewayOrgs) {
      const env = gatewayEnvironment(org);
      expect(env).to.include({ P2P_STRIPE_PROTOCOL: 'http', P2P_STRIPE_HOST: '127.0.0.1' });
      expect(env).not.to.have.property('P2P_STRIPE_WEBHOOK_SECRET');
      expect(Object.values(env)).not.to.include(stripeWebhookSecret());
    }
  });

  it('reaches the local payment provider at loopback even when it binds its own host’s address, so it starts there', () => {
    // Plain HTTP to a non-loopback provider is refused by the gateway's configuration.
    const onItsHost = { ...stripeEnvironment(), P2P_STRIPE_HOST: '10.88.0.21' };
    expect(providerEnvironment(onItsHost)).to.include({
      P2P_STRIPE_HOST: '127.0.0.1',
      P2P_STRIPE_PROTOCOL: 'http',
    });
  });

  it('trusts its own realm at the identity provider its operator names on another host, with that provider’s TLS root', () => {
    const provider = identityProviderOf({
      P2P_IDENTITY_PROVIDER_URL: 'https://10.88.0.30:18443/',
      P2P_IDENTITY_PROVIDER_CA: '/mail/idp/ca.pem',
    });
    const env = gatewayEnvironment('MarketB', ['MarketB'], provider);
    expect(env).to.include({
      P2P_KEYCLOAK_ISSUER: 'https://10.88.0.30:18443/realms/p2p-marketb',
      P2P_KEYCLOAK_JWKS_URL: 'https://10.88.0.30:18443/realms/p2p-marketb/protocol/openid-connect/certs',
      P2P_KEYCLOAK_CA_FILE: '/mail/idp/ca.pem',
    });
    // Without one named, the local Keycloak of this state directory.
    expect(gatewayEnvironment('MarketB')['P2P_KEYCLOAK_ISSUER']).to.equal(realmUrlOf('MarketB'));
    expect(() => identityProviderOf({ P2P_IDENTITY_PROVIDER_URL: 'https://10.88.0.30:18443' })).to.throw(
      /P2P_IDENTITY_PROVIDER_CA/,
    );
  });
});
