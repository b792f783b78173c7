import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeOrgAddresses } from '../network/orgAddresses';
import { OperatorError } from './operatorError';
import { orgRunnerEnvironment } from './orgNodes';

describe('operator command line: one org’s nodes on its own host', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'org-nodes-'));
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });
  writeOrgAddresses('Orderer', { host: '10.0.0.11', nodes: { orderer2: '10.0.0.12' } }, root);
  writeOrgAddresses('MarketA', { host: '10.0.0.21', nodes: {} }, root);
  const progress = () => undefined;

  it('runs the runner from the org’s state directory on the address org init recorded', () => {
    expect(orgRunnerEnvironment({ org: 'MarketA', root, progress })).to.deep.equal({
      P2P_STATE_DIR: root,
      P2P_HOST_ADDRESS: '10.0.0.21',
      P2P_ORG: 'MarketA',
      P2P_ORG_PART: 'deployment',
    });
    expect(orgRunnerEnvironment({ org: 'MarketA', root, part: 'nodes', progress })).to.include({
      P2P_ORG_PART: 'nodes',
    });
    expect(orgRunnerEnvironment({ org: 'Orderer', root, nodes: ['orderer2'], progress })).to.deep.equal({
      P2P_STATE_DIR: root,
      P2P_HOST_ADDRESS: '10.0.0.12',
      P2P_ORG: 'Orderer',
      P2P_ORG_NODES: 'orderer2',
      P2P_ORG_PART: 'deployment',
    });
  });

  it('names the identity provider its gateway trusts, and refuses a provider without its TLS root', () => {
    const identityProvider = 'https://10.0.0.30:18443';
    const identityProviderCa = path.join(root, 'idp-ca.pem');
    expect(
      orgRunnerEnvironment({ org: 'MarketA', root, identityProvider, identityProviderCa, progress }),
    ).to.include({
      P2P_IDENTITY_PROVIDER_URL: identityProvider,
      P2P_IDENTITY_PROVIDER_CA: identityProviderCa,
    });
    expect(() => orgRunnerEnvironment({ org: 'MarketA', root, identityProvider, progress }))
      .to.throw(OperatorError)
      .with.property('code', 'IDENTITY_PROVIDER_CA_MISSING');
  });

  it('refuses to run together orderers that were given different hosts', () => {
    expect(() => orgRunnerEnvironment({ org: 'Orderer', root, progress }))
      .to.throw(OperatorError)
      .with.property('code', 'NODES_ON_SEVERAL_HOSTS');
  });
});
