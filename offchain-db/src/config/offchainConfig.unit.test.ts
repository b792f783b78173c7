import { ConfigError, type Env } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  databaseConfig,
  keeperConfig,
  mirrorConfig,
  mirrorRebuildConfig,
  notifierConfig,
  reconcileConfig,
  relayConfig,
  webhookEndpointConfig,
  webhookReplayConfig,
} from './offchainConfig';

/** `env` without `name`. */
function without(env: Env, name: string): Env {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));
}

/** The message of the ConfigError `load` throws for `env`. */
function configErrorOf(load: (env: Env) => unknown, env: Env): string {
  try {
    load(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  return expect.fail('accepted an incomplete configuration');
}

describe('off-chain process configuration', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offchain-config-'));
  const file = (name: string) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, 'pem');
    return target;
  };
  const database = {
    P2P_DATABASE_URL: 'postgresql://escrow_mirror:pw@127.0.0.1:5432/escrow',
    P2P_DATABASE_CA: file('database-ca.pem'),
  };
  const ops = { P2P_OPS_PORT: '18101' };
  const fabric = {
    P2P_FABRIC_PEER_ENDPOINT: '127.0.0.1:7051',
    P2P_FABRIC_PEER_TLS_ROOT_CERT: file('tls-ca.pem'),
    P2P_FABRIC_MSP_ID: 'OversightMSP',
    P2P_FABRIC_CERT: file('cert.pem'),
    P2P_FABRIC_KEY: file('key.pem'),
  };
  const keyFile = { P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: path.join(dir, 'kek') };
  const kafka = {
    P2P_KAFKA_BROKERS: '127.0.0.1:9092',
    P2P_KAFKA_CA_FILE: file('kafka-ca.pem'),
    P2P_KAFKA_USERNAME: 'relay',
    P2P_KAFKA_PASSWORD: 'relay-secret',
  };
  const signingKey = { P2P_EVENT_SIGNING_KEY_FILE: file('event-signing-key.pem') };
  const verifyKey = { P2P_EVENT_VERIFY_KEY_FILE: file('event-signing-key.pub.pem') };

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the mirror’s settings, with the defaults for schema, topic, host, channel and chaincode', () => {
    const config = mirrorConfig({ ...database, ...fabric, ...ops });
    expect(config.database).to.deep.equal({
      url: database.P2P_DATABASE_URL,
      caFile: database.P2P_DATABASE_CA,
      schema: 'public',
      applicationName: 'mirror',
    });
    expect(config.topic).to.equal('escrow-events');
    expect(config.ops).to.deep.equal({ host: '127.0.0.1', port: 18101 });
    expect(config.fabric).to.deep.equal({
      peer: {
        address: '127.0.0.1:7051',
        hostAlias: 'localhost',
        tlsRootCertPath: fabric.P2P_FABRIC_PEER_TLS_ROOT_CERT,
      },
      mspId: 'OversightMSP',
      certPath: fabric.P2P_FABRIC_CERT,
      keyPath: fabric.P2P_FABRIC_KEY,
      channel: 'marketplace',
      chaincode: 'escrow',
    });
  });

  it('names the mirror’s missing peer endpoint and its operations port', () => {
    const message = configErrorOf(mirrorConfig, {
      ...database,
      ...without(fabric, 'P2P_FABRIC_PEER_ENDPOINT'),
    });
    expect(message).to.match(/^mirror: invalid configuration: /);
    expect(message).to.contain('P2P_FABRIC_PEER_ENDPOINT is not set');
    expect(message).to.contain('P2P_OPS_PORT is not set');
  });

  it('names a rebuild’s missing database URL, and needs no operations port', () => {
    expect(configErrorOf(mirrorRebuildConfig, { ...fabric })).to.contain('P2P_DATABASE_URL is not set');
    expect(mirrorRebuildConfig({ ...database, ...fabric }).fabric.mspId).to.equal('OversightMSP');
  });

  it('gives the mirror the org of its identity, and refuses an MSP ID that is no org of the channel', () => {
    expect(mirrorConfig({ ...database, ...fabric, ...ops }).organization).to.equal('Oversight');
    expect(
      mirrorConfig({ ...database, ...fabric, ...ops, P2P_FABRIC_MSP_ID: 'MarketBMSP' }).organization,
    ).to.equal('MarketB');
    expect(
      configErrorOf(mirrorConfig, { ...database, ...fabric, ...ops, P2P_FABRIC_MSP_ID: 'marketb-msp' }),
    ).to.contain('P2P_FABRIC_MSP_ID');
  });

  it('names the relay’s missing brokers and refuses a schema that is not a plain name', () => {
    const message = configErrorOf(relayConfig, {
      ...database,
      ...ops,
      P2P_DATABASE_SCHEMA: 'public; drop table escrows',
    });
    expect(message).to.contain('P2P_KAFKA_BROKERS is not set');
    expect(message).to.contain(
      'P2P_DATABASE_SCHEMA="public; drop table escrows": must be a plain schema name',
    );
    const config = relayConfig({ ...database, ...kafka, ...ops, ...signingKey });
    expect(config.kafka).to.deep.equal({
      brokers: ['127.0.0.1:9092'],
      caFile: kafka.P2P_KAFKA_CA_FILE,
      username: 'relay',
      password: 'relay-secret',
      topic: 'escrow-events',
      clientId: 'outbox-relay',
    });
    expect(config.signingKeyFile).to.equal(signingKey.P2P_EVENT_SIGNING_KEY_FILE);
  });

  it('needs the relay’s Kafka credentials and signing key, and never shows the password', () => {
    const message = configErrorOf(relayConfig, {
      ...database,
      ...ops,
      P2P_KAFKA_BROKERS: '127.0.0.1:9092',
      P2P_KAFKA_CA_FILE: path.join(dir, 'missing-ca.pem'),
      P2P_KAFKA_PASSWORD: '',
    });
    expect(message).to.contain('P2P_KAFKA_CA_FILE=');
    expect(message).to.contain('is not a readable file');
    expect(message).to.contain('P2P_KAFKA_USERNAME is not set');
    expect(message).to.contain('P2P_KAFKA_PASSWORD="<redacted>"');
    expect(message).to.contain('P2P_EVENT_SIGNING_KEY_FILE is not set');
  });

  it('needs the notifier’s verification key, and dead-letters to `<topic>.dead-letter` by default', () => {
    expect(configErrorOf(notifierConfig, { ...database, ...kafka, ...ops, ...keyFile })).to.contain(
      'P2P_EVENT_VERIFY_KEY_FILE is not set',
    );
    const config = notifierConfig({ ...database, ...kafka, ...ops, ...keyFile, ...verifyKey });
    expect(config.verifyKeyFile).to.equal(verifyKey.P2P_EVENT_VERIFY_KEY_FILE);
    expect(config.deadLetterTopic).to.equal('escrow-events.dead-letter');
  });

  it('names the notifier’s missing key-encryption key file', () => {
    const message = configErrorOf(notifierConfig, { ...database, ...kafka, ...ops });
    expect(message).to.match(/^notifier: /);
    expect(message).to.contain('P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE is not set');
    // The gateway may create the key file after the notifier starts: a path is enough.
    const config = notifierConfig({
      ...database,
      ...kafka,
      ...ops,
      ...keyFile,
      ...verifyKey,
      P2P_NOTIFIER_POLL_MS: '50',
    });
    expect(config.keyEncryptionKeyFile).to.equal(keyFile.P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE);
    expect(config.pollMs).to.equal(50);
    expect(config.requestTimeoutMs).to.equal(undefined);
    expect(config.groupId).to.equal('webhook-notifier');
  });

  it('allows public webhook endpoints only, 20 per marketplace, 4 requests per endpoint, unless told otherwise', () => {
    const config = notifierConfig({ ...database, ...kafka, ...ops, ...keyFile, ...verifyKey });
    expect(config.endpoints.policy.allowed).to.deep.equal([]);
    expect(config.endpoints.maxSubscriptionsPerMarketplace).to.equal(20);
    expect(config.endpointConcurrency).to.equal(4);
    expect(config.mirrorMaxLagMs).to.equal(60_000);
    const local = webhookEndpointConfig({
      P2P_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32, ::1',
      P2P_WEBHOOK_MAX_SUBSCRIPTIONS: '3',
    });
    expect(local.policy.allowed.map(([range, bits]) => `${range.toString()}/${bits}`)).to.deep.equal([
      '127.0.0.1/32',
      '::1/128',
    ]);
    expect(local.maxSubscriptionsPerMarketplace).to.equal(3);
  });

  it('names a malformed webhook allow-list entry', () => {
    expect(
      configErrorOf(webhookEndpointConfig, { P2P_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32,localhost' }),
    ).to.contain(
      'P2P_WEBHOOK_ALLOWED_CIDRS="127.0.0.1/32,localhost": lists an entry that is not an IP address or CIDR range',
    );
  });

  it('names a webhook replay’s missing key-encryption key file', () => {
    expect(configErrorOf(webhookReplayConfig, { ...database })).to.contain(
      'P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE is not set',
    );
  });

  it('names the keeper’s unreadable key file and malformed interval, needing no table of MSP ids', () => {
    const message = configErrorOf(keeperConfig, {
      ...database,
      ...fabric,
      ...ops,
      P2P_FABRIC_KEY: path.join(dir, 'missing-key.pem'),
      P2P_KEEPER_INTERVAL_MS: 'soon',
    });
    expect(message).to.match(/^keeper: /);
    expect(message).to.contain(
      `P2P_FABRIC_KEY="${path.join(dir, 'missing-key.pem')}": is not a readable file`,
    );
    expect(message).to.contain('P2P_KEEPER_INTERVAL_MS="soon"');
    const config = keeperConfig({ ...database, ...fabric, ...ops });
    expect([config.intervalMs, config.batchSize, config.retryAfterMs]).to.deep.equal([2000, 50, 30_000]);
  });

  it('names the reconciler’s missing MSP id, and leaves the marketplaces to the ledger’s registry by default', () => {
    expect(
      configErrorOf(reconcileConfig, { ...database, ...without(fabric, 'P2P_FABRIC_MSP_ID') }),
    ).to.contain('P2P_FABRIC_MSP_ID is not set');
    expect(reconcileConfig({ ...database, ...fabric }).marketplaces).to.deep.equal([]);
    expect(
      reconcileConfig({ ...database, ...fabric, P2P_RECONCILE_MARKETPLACES: 'MarketA,MarketC' }).marketplaces,
    ).to.deep.equal(['MarketA', 'MarketC']);
  });

  it('names a malformed database URL for a tool that only queries the projection, never its value', () => {
    const message = configErrorOf((env) => databaseConfig(env, 'bench'), {
      P2P_DATABASE_URL: 'escrow hunter2 at 127.0.0.1',
    });
    expect(message).to.contain('P2P_DATABASE_URL="<redacted>": must be a URL');
    expect(message).not.to.contain('hunter2');
  });
});
