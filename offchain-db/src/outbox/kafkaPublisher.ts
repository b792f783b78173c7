// The Kafka adapter of the event publisher: an idempotent producer (acks from all in-sync replicas,
// one request in flight, so retries neither duplicate nor reorder a partition's messages).
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import type { KafkaConfig } from '../config/offchainConfig';
import { ensureTopic, escrowEventPartitions } from '../kafka/topics';
import type { EventPublisher, OutgoingEvent } from './eventPublisher';

export class KafkaPublisher implements EventPublisher {
  private constructor(
    private readonly producer: Producer,
    private readonly config: KafkaConfig,
  ) {}

  /** Connects, and creates the topic (key-partitioned) when it does not exist yet. */
  static async connect(config: KafkaConfig, partitions = escrowEventPartitions): Promise<KafkaPublisher> {
    const kafka = new Kafka({
      clientId: config.clientId,
      brokers: [...config.brokers],
      logLevel: logLevel.WARN,
    });
    await ensureTopic(kafka, config.topic, partitions);
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return new KafkaPublisher(producer, config);
  }

  async publish(events: readonly OutgoingEvent[]): Promise<void> {
    const byTopic = new Map<string, OutgoingEvent[]>();
    for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, topicEvents]) => ({
        topic,
        messages: topicEvents.map((event) => ({
          key: event.key,
          value: JSON.stringify(event.payload),
          headers: { ...event.headers },
        })),
      })),
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  get topic(): string {
    return this.config.topic;
  }
}
