import { expect } from 'chai';
import * as fs from 'node:fs';
import { joiningOrgRealm, orgRealm, realmFile } from './realm';

describe('the realm file', () => {
  const realm = JSON.parse(fs.readFileSync(realmFile, 'utf8')) as Record<string, unknown>;

  it('asks for passwords of at least 12 characters that are neither the username nor the email', () => {
    const policy = String(realm['passwordPolicy']);
    expect(Number(/length\((\d+)\)/.exec(policy)?.[1])).to.be.at.least(12);
    expect(policy).to.contain('notUsername').and.to.contain('notEmail');
  });

  it('slows guessing without letting two quick failures lock anyone out for long', () => {
    expect(realm['bruteForceProtected']).to.equal(true);
    expect(realm['permanentLockout']).to.equal(false);
    expect(realm['minimumQuickLoginWaitSeconds']).to.be.at.most(10);
    expect(realm['failureFactor']).to.be.within(5, 30);
  });

  it('accepts each one-time code once, even within its 30 s step', () => {
    expect(realm['otpPolicyCodeReusable']).to.equal(false);
  });

  it('names "otp" in the amr claim of a token only through a step that checked a one-time code', () => {
    interface Execution {
      authenticator?: string;
      authenticatorConfig?: string;
    }
    const flows = realm['authenticationFlows'] as { authenticationExecutions: Execution[] }[];
    const configs = realm['authenticatorConfig'] as { alias: string; config: Record<string, string> }[];
    const referenceOf = (alias: string | undefined) =>
      configs.find((config) => config.alias === alias)?.config['default.reference.value'];
    const executions = flows.flatMap((flow) => flow.authenticationExecutions);
    const otpSteps = executions.filter((step) => /otp/.test(step.authenticator ?? ''));
    expect(otpSteps.map((step) => step.authenticator)).to.have.members([
      'auth-otp-form',
      'direct-grant-validate-otp',
    ]);
    for (const step of executions)
      expect(referenceOf(step.authenticatorConfig) === 'otp', String(step.authenticator)).to.equal(
        otpSteps.includes(step),
      );
    const clients = realm['clients'] as { clientId: string; protocolMappers: { protocolMapper: string }[] }[];
    const web = clients.find((client) => client.clientId === 'escrow-web');
    expect(web?.protocolMappers.map((mapper) => mapper.protocolMapper)).to.include('oidc-amr-mapper');
  });

  describe("each org's realm", () => {
    interface User {
      username: string;
      serviceAccountClientId?: string;
      attributes?: { marketplace?: string[] };
    }
    const realmOf = (org: string) =>
      orgRealm(realm, org) as { realm: string; users: User[]; clients: { clientId: string }[] };
    const usernames = (org: string) => realmOf(org).users.map((user) => user.username);

    it("holds that org's demo users and backend only, under the org's realm name", () => {
      expect(realmOf('MarketA').realm).to.equal('p2p-marketa');
      expect(usernames('MarketA')).to.have.members(['alice', 'amir', 'service-account-marketa-backend']);
      expect(usernames('MarketB')).to.have.members(['bob', 'bea', 'service-account-marketb-backend']);
      expect(usernames('Oversight')).to.have.members(['olivia', 'oscar']);
      for (const org of ['MarketA', 'MarketB', 'Oversight'])
        for (const user of realmOf(org).users.filter((candidate) => !candidate.serviceAccountClientId))
          expect(user.attributes?.marketplace, user.username).to.deep.equal([org]);
    });

    it("gives every realm the users' client, and a marketplace's realm its own backend client alone", () => {
      const clients = (org: string) => realmOf(org).clients.map((client) => client.clientId);
      expect(clients('MarketA')).to.include('escrow-web').and.include('marketa-backend');
      expect(clients('MarketA')).not.to.include('marketb-backend');
      expect(clients('MarketB')).to.include('marketb-backend').and.not.include('marketa-backend');
      expect(clients('Oversight').filter((id) => id.endsWith('-backend'))).to.deep.equal([]);
    });
  });

  describe("a joining marketplace's realm, created on a running identity provider", () => {
    interface Client {
      clientId: string;
      secret?: string;
      protocolMappers?: { name: string; config: Record<string, string> }[];
    }
    interface User {
      username: string;
      email?: string;
      serviceAccountClientId?: string;
      realmRoles?: string[];
      attributes?: { marketplace?: string[] };
      credentials?: { type: string; value: string }[];
    }
    const marketC = {
      name: 'MarketC',
      identities: [
        { id: 'marketc-admin', attrs: { role: 'admin' } },
        { id: 'marketc-backend', attrs: { role: 'marketplace' } },
        { id: 'marketc-payments', attrs: { role: 'payments' } },
        { id: 'carla', attrs: { role: 'buyer' } },
        { id: 'chidi', attrs: { role: 'seller' } },
      ],
    };
    const asked: string[] = [];
    const document = joiningOrgRealm(realm, marketC, (name) => {
      asked.push(name);
      return `generated-${name}`;
    }) as { realm: string; clients: Client[]; users: User[]; roles: unknown; authenticationFlows: unknown };

    it("is named as the founding orgs' realms and keeps the template's settings, roles and flows", () => {
      expect(document.realm).to.equal('p2p-marketc');
      expect(document.roles).to.deep.equal(realm['roles']);
      expect(document.authenticationFlows).to.deep.equal(realm['authenticationFlows']);
      expect(document).to.include({ passwordPolicy: realm['passwordPolicy'], bruteForceProtected: true });
    });

    it("holds the org's backend client, with its marketplace claim and a generated secret, and no founding org's", () => {
      expect(document.clients.map((client) => client.clientId)).to.have.members([
        'escrow-web',
        'marketc-backend',
      ]);
      const backend = document.clients.find((client) => client.clientId === 'marketc-backend');
      expect(backend?.secret).to.equal('generated-keycloak-marketc-backend-secret');
      const claim = backend?.protocolMappers?.find((mapper) => mapper.name === 'marketplace');
      expect(claim?.config['claim.value']).to.equal('MarketC');
      const audience = backend?.protocolMappers?.find((mapper) => mapper.name === 'escrow-gateway audience');
      expect(audience?.config['included.custom.audience']).to.equal('escrow-gateway');
    });

    it('gives each buyer and seller its CA issues an account of that role, and the backend its service account', () => {
      const byName = new Map(document.users.map((user) => [user.username, user]));
      expect([...byName.keys()]).to.have.members(['carla', 'chidi', 'service-account-marketc-backend']);
      expect(byName.get('carla')).to.deep.include({
        email: 'carla@marketc.example',
        realmRoles: ['buyer'],
        attributes: { marketplace: ['MarketC'] },
      });
      expect(byName.get('chidi')?.realmRoles).to.deep.equal(['seller']);
      expect(byName.get('chidi')?.credentials).to.deep.equal([
        { type: 'password', value: 'generated-demo-chidi-password', temporary: false },
      ]);
      expect(byName.get('service-account-marketc-backend')).to.deep.include({
        serviceAccountClientId: 'marketc-backend',
        realmRoles: ['marketplace', 'payments'],
      });
    });

    it('carries values, never a placeholder, and asks for its secrets by the founding orgs’ names', () => {
      expect(JSON.stringify(document)).not.to.match(/\$\{P2P_/);
      expect(asked).to.have.members([
        'demo-carla-password',
        'demo-chidi-password',
        'keycloak-marketc-backend-secret',
      ]);
    });
  });
});
