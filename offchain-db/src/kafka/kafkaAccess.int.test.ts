// The broker on the live stack lets nobody in without TLS and a SCRAM password, and each service only
// as far as its ACLs go: a plaintext client, a TLS client without SASL and a wrong password are
// refused, and neither the notifier nor the audit reader may write the escrow topic (only the relay).
// The security events topic is written by the `security` user alone: no other service (the alerting
// service that acts on it included) can inject or forge an event there, and its writer cannot read it.
import {
  escrowDeadLetterTopic,
  escrowEventsTopic,
  kafkaClientSettings,
  kafkaConnectionOf,
  securityEventsTopic,
  serviceTlsCaFile,
  type KafkaUser,
} from '@p2p-escrow/scripts';
import { expect } from 'chai';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import * as fs from 'node:fs';

/** A client that gives up at the first refusal, so each case fails fast instead of retrying. */
const fastFailure: Partial<KafkaConfig> = {
  connectionTimeout: 5000,
  authenticationTimeout: 5000,
  requestTimeout: 5000,
  retry: { retries: 0 },
  logLevel: logLevel.NOTHING,
};

function clientOf(config: Omit<KafkaConfig, 'clientId'>): Kafka {
  return new Kafka({ clientId: 'kafka-access-test', ...fastFailure, ...config });
}

function userClient(user: KafkaUser): Kafka {
  return new Kafka({
    ...kafkaConnectionOf(kafkaClientSettings(user), `kafka-access-${user}`),
    ...fastFailure,
  });
}

/** The names and Kafka error types of the error, its causes and the errors it aggregates. */
function refusalOf(error: unknown, depth = 0): string[] {
  if (depth > 5 || typeof error !== 'object' || error === null) return [];
  const { name, type, cause, originalError, errors } = error as Record<string, unknown>;
  return [
    ...[name, type].filter((value): value is string => typeof value === 'string'),
    ...refusalOf(originalError ?? cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((inner: unknown) => refusalOf(inner, depth + 1)) : []),
  ];
}

async function refusal(attempt: () => Promise<unknown>): Promise<string[]> {
  try {
    await attempt();
  } catch (error) {
    return refusalOf(error);
  }
  return expect.fail('the broker accepted it');
}

async function adminConnect(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

async function produceAs(user: KafkaUser, topic: string): Promise<void> {
  const producer = userClient(user).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'esc-forged', value: '{}' }] });
  } finally {
    await producer.disconnect();
  }
}

describe('Kafka access on the live stack', function () {
  this.timeout(60_000);
  const brokers = [...kafkaClientSettings('admin').brokers];
  const ca = [fs.readFileSync(serviceTlsCaFile, 'utf8')];

  it('refuses a plaintext connection', async () => {
    // The listener expects a TLS handshake and drops the plaintext request.
    expect(await refusal(() => adminConnect(clientOf({ brokers })))).to.include(
      'KafkaJSConnectionClosedError',
    );
  });

  it('refuses a TLS connection that does not authenticate', async () => {
    // The broker answers ApiVersions, then closes the connection at the first request before SASL.
    expect(await refusal(() => adminConnect(clientOf({ brokers, ssl: { ca } })))).to.include(
      'KafkaJSConnectionClosedError',
    );
  });

  it('refuses a wrong SCRAM password', async () => {
    const sasl = { mechanism: 'scram-sha-512', username: 'relay', password: 'not-the-password' } as const;
    const names = await refusal(() => adminConnect(clientOf({ brokers, ssl: { ca }, sasl })));
    expect(names).to.include('KafkaJSSASLAuthenticationError');
  });

  it('refuses a broker certificate from another authority', async () => {
    const settings = kafkaClientSettings('relay');
    const sasl = { mechanism: 'scram-sha-512', username: 'relay', password: settings.password } as const;
    // Node's own trust store: the local CA is not in it.
    const names = await refusal(() => adminConnect(clientOf({ brokers, ssl: true, sasl })));
    expect(names.join(' ')).to.match(/KafkaJSConnectionError|self.signed|certificate/i);
  });

  it('lets the relay write the escrow topic', async () => {
    // Written as the relay but unsigned: the notifier dead-letters it (see eventOrigin.int.test.ts).
    await produceAs('relay', escrowEventsTopic);
  });

  it('refuses the notifier’s writes to the escrow topic with TOPIC_AUTHORIZATION_FAILED', async () => {
    expect(await refusal(() => produceAs('notifier', escrowEventsTopic))).to.include(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it('refuses the audit reader’s writes to either escrow topic', async () => {
    for (const topic of [escrowEventsTopic, escrowDeadLetterTopic])
      expect(await refusal(() => produceAs('reader', topic)), topic).to.include('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets the security user write the security events topic (an unreadable event is skipped by alerting)', async () => {
    await produceAs('security', securityEventsTopic);
  });

  it('refuses writes to the security events topic to every other service, the alerting service included', async () => {
    for (const user of ['alerting', 'relay', 'notifier', 'reader'] as const)
      expect(await refusal(() => produceAs(user, securityEventsTopic)), user).to.include(
        'TOPIC_AUTHORIZATION_FAILED',
      );
  });

  it('refuses the security user writes to the escrow topic', async () => {
    expect(await refusal(() => produceAs('security', escrowEventsTopic))).to.include(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it('refuses the relay a topic of its own making', async () => {
    const admin = userClient('relay').admin();
    await admin.connect();
    try {
      const names = await refusal(() =>
        admin.createTopics({ topics: [{ topic: 'relay-made-topic', numPartitions: 1 }] }),
      );
      expect(names.join(' ')).to.match(/TOPIC_AUTHORIZATION_FAILED|CLUSTER_AUTHORIZATION_FAILED/);
    } finally {
      await admin.disconnect();
    }
  });
});
