// The Kafka adapter of the event publisher: an idempotent producer (acks from all in-sync replicas,
// one request in flight, so retries neither duplicate nor reorder a partition's messages). Every
// message is signed with the relay's key, so consumers can tell its events from anything else on the
// topic. The topic exists before (the runner's kafka-access task); the relay may not create topics.
import { Partitioners, type Producer } from 'kafkajs';
import type { KafkaConfig } from '../config/offchainConfig';
import type { EventSigner } from '../kafka/eventOrigin';
import { kafkaClient } from '../kafka/kafkaClient';
import type { EventPublisher, OutgoingEvent } from './eventPublisher';

export class KafkaPublisher implements EventPublisher {
  private constructor(
    private readonly producer: Producer,
    private readonly signer: EventSigner,
    private readonly config: KafkaConfig,
  ) {}

  static async connect(config: KafkaConfig, signer: EventSigner): Promise<KafkaPublisher> {
    const producer = kafkaClient(config, config.clientId).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return new KafkaPublisher(producer, signer, config);
  }

  async publish(events: readonly OutgoingEvent[]): Promise<void> {
    const byTopic = new Map<string, OutgoingEvent[]>();
    for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, topicEvents]) => ({
        topic,
        messages: topicEvents.map((event) => this.messageOf(event)),
      })),
    });
  }

  /** The exact bytes sent are the bytes signed. */
  private messageOf(event: OutgoingEvent) {
    const key = Buffer.from(event.key, 'utf8');
    const value = Buffer.from(JSON.stringify(event.payload), 'utf8');
    return { key, value, headers: { ...event.headers, ...this.signer.headersFor(key, value) } };
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  get topic(): string {
    return this.config.topic;
  }
}
