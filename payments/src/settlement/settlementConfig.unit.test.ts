import { ConfigError } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { readSettlementConfig } from './settlementConfig';

const file = __filename;
const env = {
  P2P_SETTLEMENT_MARKETPLACE: 'MarketB',
  P2P_DATABASE_URL: 'postgresql://escrow_payments_marketb:s3cret@127.0.0.1:15432/escrow',
  P2P_DATABASE_CA: file,
  P2P_DATABASE_SCHEMA: 'payments_marketb',
  P2P_KAFKA_BROKERS: '127.0.0.1:19092',
  P2P_KAFKA_CA_FILE: file,
  P2P_KAFKA_USERNAME: 'settlement',
  P2P_KAFKA_PASSWORD: 'kafka-s3cret',
  P2P_SETTLEMENT_GROUP_ID: 'settlement-marketb',
  P2P_EVENT_VERIFY_KEY_FILE: file,
  P2P_FABRIC_PEER_ENDPOINT: '127.0.0.1:8051',
  P2P_FABRIC_PEER_TLS_ROOT_CERT: file,
  P2P_FABRIC_MSP_ID: 'MarketBMSP',
  P2P_FABRIC_CERT: file,
  P2P_FABRIC_KEY: file,
  P2P_OPS_PORT: '18211',
};

function problemOf(settings: Record<string, string | undefined>): string {
  try {
    readSettlementConfig(settings);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('the configuration was accepted');
}

describe('the settlement worker’s configuration', () => {
  it('reads one marketplace’s worker, with retries, reconciliation every hour, and no crash point', () => {
    const config = readSettlementConfig(env);
    expect(config).to.deep.include({
      marketplace: 'MarketB',
      backoff: { baseDelayMs: 2000, maxDelayMs: 900_000 },
      reconcileIntervalMs: 3_600_000,
      crashAfterMove: false,
    });
    expect(config.kafka).to.deep.include({ groupId: 'settlement-marketb', topic: 'escrow-events' });
    expect(config.database.schema).to.equal('payments_marketb');
  });

  it('keeps a member in its consumer group 30 s without heartbeats, unless told a shorter session', () => {
    expect(readSettlementConfig(env).kafka.sessionTimeoutMs).to.equal(30_000);
    const short = readSettlementConfig({ ...env, P2P_KAFKA_SESSION_TIMEOUT_MS: '15000' });
    expect(short.kafka.sessionTimeoutMs).to.equal(15_000);
    expect(problemOf({ ...env, P2P_KAFKA_SESSION_TIMEOUT_MS: '0' })).to.contain(
      'P2P_KAFKA_SESSION_TIMEOUT_MS',
    );
  });

  it('refuses Oversight, which collects no payment, and names every missing setting', () => {
    expect(problemOf({ ...env, P2P_SETTLEMENT_MARKETPLACE: 'Oversight' })).to.contain(
      'P2P_SETTLEMENT_MARKETPLACE',
    );
    const message = problemOf({ ...env, P2P_SETTLEMENT_GROUP_ID: undefined, P2P_OPS_PORT: undefined });
    expect(message).to.contain('P2P_SETTLEMENT_GROUP_ID').and.contain('P2P_OPS_PORT');
  });

  it('never shows a password in its message', () => {
    const message = problemOf({
      ...env,
      P2P_DATABASE_URL: 'postgresql://u:s3cret@h/db?sslmode=disable',
      P2P_OPS_PORT: 'x',
    });
    expect(message).not.to.contain('s3cret');
    expect(message).not.to.contain('kafka-s3cret');
  });
});
