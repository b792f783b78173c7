import { expect } from 'chai';
import { Runner } from './runner/runner';
import type { DaemonSpec, ServiceSpec } from './runner/serviceSpec';
import { offchainDatabaseEnv, orgMirrorDatabaseEnv } from './offchain/offchainServices';
import { identityProviderServices, orgServices, ordererOrgServices, systemServices } from './services';

const names = (services: { name: string }[]) => services.map((service) => service.name);
const quiet = () => undefined;

function daemon(services: ServiceSpec[], name: string): DaemonSpec {
  const found = services.find((service) => service.name === name);
  if (found?.kind !== 'daemon') throw new Error(`no daemon ${name}`);
  return found;
}

/** The role a P2P_*_URL signs in as, and the database it names. */
function databaseOf(env: Record<string, string>, variable: string): [string, string] {
  const url = new URL(env[variable] ?? '');
  return [url.username, url.pathname.slice(1)];
}

const MARKETA_NODES = [
  'chaincode-package',
  'chaincode-install',
  'ca-marketa',
  'crypto-marketa',
  'peer-marketa',
  'chaincode-marketa',
];

describe('the service list, built per org', () => {
  it('runs one org’s Fabric nodes alone when asked for its nodes only', () => {
    const marketA = orgServices('MarketA', undefined, 'nodes');
    expect(names(marketA)).to.have.members(MARKETA_NODES);
    // Every dependency is in the org's own list: nothing of another org or of the platform.
    expect(() => new Runner(marketA, quiet)).not.to.throw();
  });

  it('runs a marketplace’s whole deployment on its own host: nodes, PostgreSQL, Redis, projection, gateway', () => {
    const marketA = orgServices('MarketA');
    expect(names(marketA)).to.have.members([
      ...MARKETA_NODES,
      'postgres',
      'postgres-databases',
      'redis',
      'database-migrate',
      'mirror-marketa',
      'gateway-marketa',
    ]);
    expect(() => new Runner(marketA, quiet)).not.to.throw();
    // Its gateway reaches its own peer alone: the others' TLS roots are not on its host.
    expect(daemon(marketA, 'gateway-marketa').env['P2P_FABRIC_ORGS']).to.equal('MarketA');
    // Nothing of another org: no other org's gateway or mirror, no Keycloak, Kafka or keeper.
    expect(
      names(marketA).filter((name) => /marketb|oversight|keycloak|kafka|keeper/.test(name)),
    ).to.deep.equal([]);
  });

  it('runs the orgs’ identity provider on a host of its own: PostgreSQL and Keycloak alone', () => {
    const provider = identityProviderServices();
    expect(names(provider)).to.have.members(['postgres', 'postgres-databases', 'keycloak']);
    expect(() => new Runner(provider, quiet)).not.to.throw();
  });

  it('runs Oversight’s deployment: its nodes, its gateway, the keeper and the auditor’s mirror', () => {
    const oversight = orgServices('Oversight');
    expect(names(oversight)).to.include.members(['peer-oversight', 'gateway-oversight', 'keeper', 'mirror']);
    expect(names(oversight)).not.to.include.members(['mirror-marketa', 'gateway-marketa']);
    expect(() => new Runner(oversight, quiet)).not.to.throw();
  });

  it('runs a joining marketplace’s deployment the same way', () => {
    const marketC = orgServices('MarketC');
    expect(names(marketC)).to.include.members(['peer-marketc', 'mirror-marketc', 'gateway-marketc']);
    expect(() => new Runner(marketC, quiet)).not.to.throw();
  });

  it('gives each marketplace’s mirror and gateway its own projection database, each with its own role', () => {
    const services = systemServices();
    for (const org of ['MarketA', 'MarketB']) {
      const lower = org.toLowerCase();
      expect(daemon(services, `mirror-${lower}`).ports).to.have.length(1);
      expect(databaseOf(orgMirrorDatabaseEnv(org), 'P2P_DATABASE_URL')).to.deep.equal([
        `projection_${lower}_mirror`,
        `projection_${lower}`,
      ]);
      expect(
        databaseOf(daemon(services, `gateway-${lower}`).env, 'P2P_PROJECTION_DATABASE_URL'),
      ).to.deep.equal([`escrow_gateway_${lower}`, `projection_${lower}`]);
    }
    // The auditor's projection stays Oversight's, feeding the outbox, relay and webhooks.
    expect(databaseOf(offchainDatabaseEnv('mirror'), 'P2P_DATABASE_URL')).to.deep.equal([
      'escrow_mirror',
      'escrow',
    ]);
  });

  it('runs the orderers of one host alone, the orderer org’s CA only with all of them', () => {
    expect(names(orgServices('Orderer', ['orderer2']))).to.deep.equal(['orderer2']);
    expect(names(ordererOrgServices())).to.deep.equal([
      'ca-orderer',
      'crypto-orderer',
      'orderer1',
      'orderer2',
      'orderer3',
    ]);
    expect(() => new Runner(orgServices('Orderer', ['orderer2']), quiet)).not.to.throw();
  });

  it('assembles the demo consortium from every org’s deployment, the channel and the shared platform', () => {
    const services = systemServices();
    expect(() => new Runner(services, quiet)).not.to.throw();
    for (const org of ['MarketA', 'MarketB', 'Oversight'])
      expect(names(services)).to.include.members(
        names(orgServices(org)).filter((name) => !name.startsWith('chaincode-install')),
      );
    expect(names(services)).to.include.members([
      'channel-orderers',
      'chaincode-deploy',
      'gateway-marketa',
      'gateway-marketb',
      'gateway-oversight',
      'mirror-marketa',
      'mirror-marketb',
      'stripe-mock',
      'mirror',
      'outbox-relay',
      'notifier',
      'keeper',
    ]);
    expect(names(services)).not.to.include('chaincode-install');
    // One PostgreSQL server and one Redis, shared by the orgs side by side.
    expect(names(services).filter((name) => name === 'postgres' || name === 'redis')).to.have.length(2);
  });
});
