// Proves that kafkajs, the outbox relay's client, works against the pinned broker (versions.conf
// KAFKA_VERSION): acknowledged produce, per-key order in a consumer group, rebalancing when a member
// joins, and resuming from the committed offset after a consumer restart.
import { kafkaClientSettings } from '@p2p-escrow/scripts';
import { expect } from 'chai';
import { logLevel, Partitioners, type Consumer, type KafkaMessage } from 'kafkajs';
import * as crypto from 'node:crypto';
import { kafkaClient } from './kafkaClient';

// As the administrator, who may create the scratch topics and groups. kafkajs logs retriable answers
// (a group rebalancing, a coordinator loading) as errors; real failures reject the calls below.
const kafka = kafkaClient(kafkaClientSettings('admin'), 'kafka-broker-test', logLevel.NOTHING);
const partitions = 4;

function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Received {
  key: string;
  sequence: number;
  partition: number;
  offset: string;
}

function decode(partition: number, message: KafkaMessage): Received {
  const key = message.key?.toString() ?? '';
  return { key, sequence: Number(message.value?.toString()), partition, offset: message.offset };
}

/** The messages' positions (partition and offset), each once. */
function distinctOffsets(received: readonly Received[]): Set<string> {
  return new Set(received.map((message) => `${message.partition}:${message.offset}`));
}

/** Messages `key=escrow-<k>, value=<sequence>`, interleaved across keys. */
function escrowEvents(keys: number, perKey: number, firstSequence = 0) {
  return Array.from({ length: perKey }, (_, step) =>
    Array.from({ length: keys }, (_, k) => ({
      key: `escrow-${k}`,
      value: String(firstSequence + step),
    })),
  ).flat();
}

describe('Kafka broker with kafkajs', function () {
  this.timeout(120_000);
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumers: Consumer[] = [];
  const topics: string[] = [];

  async function createTopic(): Promise<string> {
    const topic = uniqueName('test.escrow-events');
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    topics.push(topic);
    return topic;
  }

  function newConsumer(groupId: string): Consumer {
    const consumer = kafka.consumer({ groupId, heartbeatInterval: 500, sessionTimeout: 10_000 });
    consumers.push(consumer);
    return consumer;
  }

  before(async () => {
    await admin.connect();
    await producer.connect();
  });

  after(async () => {
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    await producer.disconnect();
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  it('acknowledges a produce with acks=all and delivers each key in order to a consumer group', async () => {
    const topic = await createTopic();
    const events = escrowEvents(5, 20);
    const metadata = await producer.send({ topic, acks: -1, messages: events });
    expect(metadata.every((record) => record.errorCode === 0)).to.equal(true);

    const received: Received[] = [];
    const consumer = newConsumer(uniqueName('in-order'));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        received.push(decode(partition, message));
        return Promise.resolve();
      },
    });
    await waitFor(() => received.length === events.length, `${events.length} messages`);

    for (let k = 0; k < 5; k += 1) {
      const ofKey = received.filter((message) => message.key === `escrow-${k}`);
      expect(ofKey.map((message) => message.sequence)).to.deep.equal([...Array(20).keys()]);
      expect(new Set(ofKey.map((message) => message.partition)).size).to.equal(1);
    }
  });

  it('rebalances when a second consumer joins the group, splitting the partitions between them', async () => {
    const topic = await createTopic();
    const groupId = uniqueName('rebalance');
    const assignments = new Map<string, number[]>();
    const startMember = async (name: string) => {
      const consumer = newConsumer(groupId);
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        assignments.set(name, [...(event.payload.memberAssignment[topic] ?? [])].sort());
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: () => Promise.resolve() });
    };

    await startMember('first');
    await waitFor(
      () => assignments.get('first')?.length === partitions,
      'the first member to own all partitions',
    );
    await startMember('second');
    await waitFor(
      () =>
        assignments.get('first')?.length === partitions / 2 &&
        assignments.get('second')?.length === partitions / 2,
      'the partitions to be split between both members',
    );

    const owned = [...(assignments.get('first') ?? []), ...(assignments.get('second') ?? [])].sort();
    expect(owned).to.deep.equal([...Array(partitions).keys()]);
  });

  it('resumes a restarted consumer from its committed offsets, without replaying what it processed', async () => {
    const topic = await createTopic();
    const groupId = uniqueName('resume');
    const consume = async (received: Received[], expected: number) => {
      const consumer = newConsumer(groupId);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          // Counted once its offset is committed, so the restart below cannot race the last commit.
          await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
          received.push(decode(partition, message));
        },
      });
      await waitFor(() => distinctOffsets(received).size >= expected, `${expected} messages`);
      await consumer.disconnect();
    };

    const firstRun: Received[] = [];
    await producer.send({ topic, acks: -1, messages: escrowEvents(4, 5) });
    await consume(firstRun, 20);

    const afterRestart: Received[] = [];
    await producer.send({ topic, acks: -1, messages: escrowEvents(4, 5, 5) });
    await consume(afterRestart, 20);

    expect(firstRun.map((message) => message.sequence).every((sequence) => sequence < 5)).to.equal(true);
    // Nothing the first run committed comes back: every message after the restart is a new one.
    expect(afterRestart.filter((message) => message.sequence < 5)).to.deep.equal([]);
    // Each new message once by its offset. Delivery is at least once: a commit cut short by a group
    // rebalance on a loaded machine may hand one message over twice, which the consumers downstream
    // absorb by event id; such a copy is not a replay of the first run.
    expect(distinctOffsets(afterRestart).size).to.equal(20);
  });
});
