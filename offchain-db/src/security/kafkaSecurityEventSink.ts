// The Kafka sink of the security events: their own topic, keyed by the actor, for the alerting
// service and the SOC. (The JSON-lines file sink, which needs no broker, is fabric-client's.)
import type { SecurityEvent, SecurityEventSink } from '@p2p-escrow/fabric-client';
import type { Kafka, Producer } from 'kafkajs';

/** The topic's default name; the runner creates it with the escrow topics. */
export const SECURITY_EVENTS_TOPIC = 'security-events';

/** The partition key: the verified or claimed client, else the address, else the source. */
export function securityEventKey(event: SecurityEvent): string {
  return event.actor.clientId ?? event.ip ?? event.source;
}

export class KafkaSecurityEventSink implements SecurityEventSink {
  readonly name = 'kafka';
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  private async connected(): Promise<Producer> {
    if (this.producer !== undefined) return this.producer;
    this.connecting ??= (async () => {
      // Few retries: the emitter's queue, not the producer, is what absorbs an outage.
      const producer = this.kafka.producer({ retry: { retries: 2 }, allowAutoTopicCreation: false });
      try {
        await producer.connect();
      } catch (error) {
        this.connecting = undefined;
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  async write(events: readonly SecurityEvent[]): Promise<void> {
    const producer = await this.connected();
    await producer.send({
      topic: this.topic,
      acks: -1,
      timeout: 5_000,
      messages: events.map((event) => ({ key: securityEventKey(event), value: JSON.stringify(event) })),
    });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
    this.connecting = undefined;
  }
}
