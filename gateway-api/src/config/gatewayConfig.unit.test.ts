import { ConfigError } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadGatewayConfig, orgDirectory, orgVariable, peerEndpointsOf } from './gatewayConfig';

describe('gateway configuration from the environment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-config-'));
  const tlsRoot = path.join(dir, 'tls-ca.pem');
  fs.writeFileSync(tlsRoot, 'PEM');
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function peerEnv(org: string, port: number): Record<string, string> {
    return {
      [orgVariable(org, 'MSP_ID')]: `${org}MSP`,
      [orgVariable(org, 'PEER_ENDPOINT')]: `127.0.0.1:${port}`,
      [orgVariable(org, 'PEER_TLS_ROOT_CERT')]: tlsRoot,
    };
  }

  function orgEnv(org: string, port: number): Record<string, string> {
    return {
      ...peerEnv(org, port),
      [orgVariable(org, 'CA_URL')]: `https://127.0.0.1:${port + 1}`,
      [orgVariable(org, 'CA_NAME')]: `ca-${org.toLowerCase()}`,
      [orgVariable(org, 'CA_TLS_ROOT_CERT')]: tlsRoot,
      [orgVariable(org, 'REGISTRAR_ID')]: 'gateway-registrar',
      [orgVariable(org, 'REGISTRAR_SECRET')]: `secret-of-${org}`,
    };
  }

  const complete: Record<string, string> = {
    P2P_GATEWAY_HOST: '127.0.0.1',
    P2P_GATEWAY_PORT: '18000',
    P2P_GATEWAY_TLS_DIR: path.join(dir, 'tls'),
    P2P_FABRIC_CHANNEL: 'marketplace',
    P2P_FABRIC_CHAINCODE: 'escrow',
    P2P_FABRIC_ORG: 'MarketA',
    P2P_FABRIC_ORGS: 'MarketA, Oversight',
    ...orgEnv('MarketA', 7051),
    ...peerEnv('Oversight', 9051),
    P2P_KEYCLOAK_ISSUER: 'https://127.0.0.1:18080/realms/p2p-escrow',
    P2P_KEYCLOAK_JWKS_URL: 'https://127.0.0.1:18080/realms/p2p-escrow/protocol/openid-connect/certs',
    P2P_KEYCLOAK_AUDIENCE: 'escrow-gateway',
    P2P_KEYCLOAK_CA_FILE: tlsRoot,
    P2P_DATABASE_URL: 'postgresql://escrow_gateway:secret@127.0.0.1:15432/escrow',
    P2P_DATABASE_CA: tlsRoot,
    P2P_REDIS_URL: 'redis://127.0.0.1:16379',
    P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE: path.join(dir, 'identity-kek'),
    P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: path.join(dir, 'webhook-kek'),
  };

  function problemsOf(env: Record<string, string | undefined>): string {
    try {
      loadGatewayConfig(env);
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      return (error as ConfigError).message;
    }
    return expect.fail('accepted a broken configuration');
  }

  it('reads every setting: its own org with its CA and registrar, the peers of the listed orgs', () => {
    const config = loadGatewayConfig(complete);
    expect([config.host, config.port, config.tls]).to.deep.equal([
      '127.0.0.1',
      18000,
      { dir: path.join(dir, 'tls'), names: [] },
    ]);
    expect([config.channel, config.chaincode]).to.deep.equal(['marketplace', 'escrow']);
    expect(config.orgs.map((org) => org.name)).to.deep.equal(['MarketA', 'Oversight']);
    expect(config.orgs[1]).to.deep.equal({
      name: 'Oversight',
      mspId: 'OversightMSP',
      peerEndpoint: '127.0.0.1:9051',
      peerHostAlias: 'localhost',
      peerTlsRootCertPath: tlsRoot,
    });
    expect(config.org).to.deep.equal({
      name: 'MarketA',
      mspId: 'MarketAMSP',
      peerEndpoint: '127.0.0.1:7051',
      peerHostAlias: 'localhost',
      peerTlsRootCertPath: tlsRoot,
      caUrl: 'https://127.0.0.1:7052',
      caName: 'ca-marketa',
      caTlsRootCertPath: tlsRoot,
      registrar: { enrollmentId: 'gateway-registrar', secret: 'secret-of-MarketA' },
    });
    expect(config.keycloak).to.deep.equal({
      issuer: complete['P2P_KEYCLOAK_ISSUER'],
      jwksUrl: complete['P2P_KEYCLOAK_JWKS_URL'],
      audience: 'escrow-gateway',
      caFile: tlsRoot,
      clockOffsetSeconds: 0,
    });
    expect([config.database, config.redisUrl]).to.deep.equal([
      { url: complete['P2P_DATABASE_URL'], caFile: tlsRoot },
      complete['P2P_REDIS_URL'],
    ]);
  });

  it("keeps its tables in its own schema: P2P_GATEWAY_DATABASE_SCHEMA, a plain SQL name, 'gateway' unless set", () => {
    expect(loadGatewayConfig(complete).databaseSchema).to.equal('gateway');
    expect(
      loadGatewayConfig({ ...complete, P2P_GATEWAY_DATABASE_SCHEMA: 'gateway_marketb' }).databaseSchema,
    ).to.equal('gateway_marketb');
    expect(problemsOf({ ...complete, P2P_GATEWAY_DATABASE_SCHEMA: 'x; DROP TABLE escrows' })).to.contain(
      'P2P_GATEWAY_DATABASE_SCHEMA="x; DROP TABLE escrows": must be a lower-case SQL name',
    );
  });

  it('keeps the former defaults for limits, deadlines, cache and lease', () => {
    const config = loadGatewayConfig(complete);
    expect(config.limits).to.deep.equal({
      bodyBytes: 65_536,
      perClientPerMinute: 6000,
      perUserPerMinute: 1200,
      perAddressPerMinute: 600,
      publicClients: ['escrow-web', 'escrow-console'],
      rateKeyPrefix: 'gateway:rl',
    });
    expect(config.deadlines).to.deep.equal({
      evaluateMs: 5_000,
      endorseMs: 15_000,
      submitMs: 5_000,
      commitStatusMs: 20_000,
    });
    expect([config.peerCatchUpMs, config.connectionCacheSize]).to.deep.equal([5_000, 256]);
    expect(config.offerPolicy).to.deep.equal({ refusedWindowMs: 20_000, reofferIntervalMs: 30_000 });
    // 15 + 5 + 20 (offering a refused transaction again) + 20 + 5 seconds, plus the 60 s margin.
    expect(config.idempotencyLeaseSeconds).to.equal(125);
  });

  it('takes the overrides replicas and tests set', () => {
    const config = loadGatewayConfig({
      ...complete,
      P2P_GATEWAY_PORT: '18092',
      P2P_GATEWAY_TLS_DIR: path.join(dir, 'replica-tls'),
      P2P_GATEWAY_RATE_PER_USER: '6',
      P2P_GATEWAY_RATE_KEY_PREFIX: 'e2e:rl',
      P2P_GATEWAY_COMMIT_DEADLINE_MS: '1',
      P2P_GATEWAY_IDEMPOTENCY_LEASE_SECONDS: '3',
      P2P_GATEWAY_TOKEN_CLOCK_OFFSET_SECONDS: '600',
    });
    expect(config.port).to.equal(18092);
    expect(config.tls).to.deep.equal({ dir: path.join(dir, 'replica-tls'), names: [] });
    expect([config.limits.perUserPerMinute, config.limits.rateKeyPrefix]).to.deep.equal([6, 'e2e:rl']);
    expect(config.deadlines.commitStatusMs).to.equal(1);
    expect(config.idempotencyLeaseSeconds).to.equal(3);
    expect(config.keycloak.clockOffsetSeconds).to.equal(600);
  });

  it('serves its port from one process unless P2P_GATEWAY_WORKERS asks for 2 to 32 cluster workers', () => {
    expect(loadGatewayConfig(complete).workers).to.equal(1);
    expect(loadGatewayConfig({ ...complete, P2P_GATEWAY_WORKERS: '2' }).workers).to.equal(2);
    expect(problemsOf({ ...complete, P2P_GATEWAY_WORKERS: '0' })).to.match(/P2P_GATEWAY_WORKERS.*at least 1/);
    expect(problemsOf({ ...complete, P2P_GATEWAY_WORKERS: '33' })).to.match(
      /P2P_GATEWAY_WORKERS.*at most 32/,
    );
    expect(problemsOf({ ...complete, P2P_GATEWAY_WORKERS: 'two' })).to.match(/P2P_GATEWAY_WORKERS/);
  });

  it('names a missing variable', () => {
    expect(problemsOf({ ...complete, P2P_KEYCLOAK_AUDIENCE: undefined })).to.match(
      /^gateway: invalid configuration: P2P_KEYCLOAK_AUDIENCE is not set/,
    );
  });

  it("names every missing peer variable of a listed org, and asks no CA or registrar of another org's", () => {
    const message = problemsOf({ ...complete, P2P_FABRIC_ORGS: 'MarketA,MarketB,Oversight' });
    for (const name of ['MSP_ID', 'PEER_ENDPOINT', 'PEER_TLS_ROOT_CERT'])
      expect(message).to.contain(`P2P_FABRIC_ORG_MARKETB_${name} is not set`);
    expect(message).not.to.contain('MARKETA');
    expect(message).not.to.contain('MARKETB_CA_URL');
    expect(message).not.to.contain('MARKETB_REGISTRAR');
  });

  it('names every missing CA and registrar variable of its own org', () => {
    const message = problemsOf({ ...complete, P2P_FABRIC_ORG: 'Oversight' });
    for (const name of ['CA_URL', 'CA_NAME', 'CA_TLS_ROOT_CERT', 'REGISTRAR_SECRET'])
      expect(message).to.contain(`P2P_FABRIC_ORG_OVERSIGHT_${name} is not set`);
  });

  it('acts for one org: without P2P_FABRIC_ORG it does not start, and it reaches that peer alone by default', () => {
    expect(problemsOf({ ...complete, P2P_FABRIC_ORG: undefined })).to.contain('P2P_FABRIC_ORG is not set');
    const alone = loadGatewayConfig({ ...complete, P2P_FABRIC_ORGS: undefined });
    expect(alone.orgs.map((org) => org.name)).to.deep.equal(['MarketA']);
  });

  it("refuses another org's CA or registrar setting, naming it without its value", () => {
    const message = problemsOf({
      ...complete,
      [orgVariable('Oversight', 'REGISTRAR_SECRET')]: 'secret-of-Oversight',
      [orgVariable('MarketB', 'CA_URL')]: 'https://127.0.0.1:7254',
    });
    expect(message).to.contain(
      'P2P_FABRIC_ORG_OVERSIGHT_REGISTRAR_SECRET="<redacted>": belongs to another org\'s gateway: this one acts for MarketA alone',
    );
    expect(message).to.contain('P2P_FABRIC_ORG_MARKETB_CA_URL');
    expect(message).not.to.contain('secret-of-Oversight');
  });

  it('names every malformed variable in one error', () => {
    const message = problemsOf({
      ...complete,
      P2P_GATEWAY_PORT: 'eighteen',
      P2P_GATEWAY_TLS: 'yes',
      P2P_GATEWAY_RATE_PER_USER: '-1',
      [orgVariable('MarketA', 'PEER_TLS_ROOT_CERT')]: path.join(dir, 'missing.pem'),
      P2P_FABRIC_CHANNEL: undefined,
    });
    expect(message).to.contain('P2P_GATEWAY_PORT="eighteen"');
    expect(message).to.contain('P2P_GATEWAY_TLS="yes": must be 0 or 1');
    expect(message).to.contain('P2P_GATEWAY_RATE_PER_USER="-1"');
    expect(message).to.contain('P2P_FABRIC_CHANNEL is not set');
  });

  it("searches its own org's projection: P2P_PROJECTION_DATABASE_URL, else its own database", () => {
    expect(loadGatewayConfig(complete).projectionDatabase).to.deep.equal(
      loadGatewayConfig(complete).database,
    );
    const projectionUrl = 'postgresql://escrow_gateway_marketa:pw@127.0.0.1:15432/projection_marketa';
    expect(
      loadGatewayConfig({ ...complete, P2P_PROJECTION_DATABASE_URL: projectionUrl }).projectionDatabase,
    ).to.deep.equal({ url: projectionUrl, caFile: tlsRoot });
    const message = problemsOf({
      ...complete,
      P2P_PROJECTION_DATABASE_URL: 'postgresql//escrow:hunter2@127.0.0.1/projection_marketa',
    });
    expect(message).to.contain('P2P_PROJECTION_DATABASE_URL="<redacted>"');
    expect(message).not.to.contain('hunter2');
  });

  it('names a malformed database URL without showing its password', () => {
    const message = problemsOf({
      ...complete,
      P2P_DATABASE_URL: 'postgresql//escrow:hunter2@127.0.0.1/escrow',
    });
    expect(message).to.contain('P2P_DATABASE_URL="<redacted>"');
    expect(message).not.to.contain('hunter2');
  });

  it('keeps one key-encryption key per purpose: Fabric identities and webhook secrets', () => {
    const config = loadGatewayConfig(complete);
    expect(config.keyEncryptionKeyFiles).to.deep.equal({
      identity: path.join(dir, 'identity-kek'),
      webhook: path.join(dir, 'webhook-kek'),
    });
    const shared = path.join(dir, 'one-kek');
    expect(
      problemsOf({
        ...complete,
        P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE: shared,
        P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: shared,
      }),
    ).to.contain('must name another file than P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE');
  });

  it("names a problem with an org's registrar secret without showing it", () => {
    const message = problemsOf({ ...complete, [orgVariable('MarketA', 'REGISTRAR_SECRET')]: '' });
    expect(message).to.contain('P2P_FABRIC_ORG_MARKETA_REGISTRAR_SECRET="<redacted>"');
  });

  it('refuses a peer TLS root certificate that is not a readable file', () => {
    const missing = path.join(dir, 'missing.pem');
    expect(problemsOf({ ...complete, [orgVariable('Oversight', 'PEER_TLS_ROOT_CERT')]: missing })).to.contain(
      `P2P_FABRIC_ORG_OVERSIGHT_PEER_TLS_ROOT_CERT=${JSON.stringify(missing)}: is not a readable file`,
    );
  });

  it('serves HTTPS unless told otherwise, so a gateway without a TLS directory does not start', () => {
    expect(problemsOf({ ...complete, P2P_GATEWAY_TLS_DIR: undefined })).to.contain(
      'P2P_GATEWAY_TLS_DIR is not set (is required unless P2P_GATEWAY_TLS=0)',
    );
  });

  it("takes more certificate names, a Kubernetes Service's, and refuses one no certificate can carry", () => {
    const names = 'gateway, gateway.marketa.svc.cluster.local,10.96.0.7';
    expect(loadGatewayConfig({ ...complete, P2P_GATEWAY_TLS_NAMES: names }).tls?.names).to.deep.equal([
      'gateway',
      'gateway.marketa.svc.cluster.local',
      '10.96.0.7',
    ]);
    expect(problemsOf({ ...complete, P2P_GATEWAY_TLS_NAMES: 'gateway,gate_way,-x' })).to.contain(
      'P2P_GATEWAY_TLS_NAMES="gateway,gate_way,-x": "gate_way", "-x": neither a DNS name nor an IP address',
    );
  });

  it('serves plain HTTP only when development asks for it, on a loopback host only', () => {
    expect(loadGatewayConfig({ ...complete, P2P_GATEWAY_TLS: '0' }).tls).to.equal(null);
    expect(problemsOf({ ...complete, P2P_GATEWAY_TLS: '0', P2P_GATEWAY_HOST: '10.0.0.5' })).to.contain(
      'P2P_GATEWAY_TLS="0": plain HTTP is for development on a loopback host only, not 10.0.0.5',
    );
  });

  it('serves the console only when P2P_GATEWAY_CONSOLE_DIR names its files, with its public client', () => {
    expect(loadGatewayConfig(complete).console).to.equal(null);
    expect(loadGatewayConfig({ ...complete, P2P_GATEWAY_CONSOLE_DIR: '/srv/console' }).console).to.deep.equal(
      {
        dir: '/srv/console',
        clientId: 'escrow-console',
      },
    );
  });

  it('refuses a Keycloak CA file that is not a readable file', () => {
    const missing = path.join(dir, 'missing-ca.pem');
    expect(problemsOf({ ...complete, P2P_KEYCLOAK_CA_FILE: missing })).to.contain(
      `P2P_KEYCLOAK_CA_FILE=${JSON.stringify(missing)}: is not a readable file`,
    );
  });

  it('gives each org its peer endpoint and MSP ID by name', () => {
    const config = loadGatewayConfig(complete);
    expect(peerEndpointsOf(config.orgs).get('Oversight')).to.deep.equal({
      address: '127.0.0.1:9051',
      hostAlias: 'localhost',
      tlsRootCertPath: tlsRoot,
    });
    const orgs = orgDirectory(config.orgs);
    expect([orgs.names, orgs.mspIdOf('MarketA')]).to.deep.equal([['MarketA', 'Oversight'], 'MarketAMSP']);
    // The other party's org, whose peer this gateway does not reach, by the consortium's naming rule.
    expect(orgs.mspIdOf('MarketB')).to.equal('MarketBMSP');
    expect(orgs.mspIdOf('MarketC')).to.equal('MarketCMSP');
    expect(() => orgs.mspIdOf('market-c')).to.throw('no MSP ID known for organization market-c');
  });
});
