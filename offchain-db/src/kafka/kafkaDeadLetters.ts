// The Kafka adapter of the notifier's dead-letter port: the refused message as it was (key, value,
// headers), with why and where it was read in `dead-letter-*` headers, acknowledged by every in-sync
// replica before the consumer moves past the original.
import type { Kafka, Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterSink } from '../webhooks/eventIntake';

export const DEAD_LETTER_REASON_HEADER = 'dead-letter-reason';
export const DEAD_LETTER_DETAIL_HEADER = 'dead-letter-detail';
export const DEAD_LETTER_SOURCE_HEADER = 'dead-letter-source';

/** Headers are for people reading the topic; a detail longer than this is cut. */
const MAX_DETAIL = 500;

export class KafkaDeadLetters implements DeadLetterSink {
  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  static async connect(kafka: Kafka, topic: string): Promise<KafkaDeadLetters> {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    return new KafkaDeadLetters(producer, topic);
  }

  async send(letter: DeadLetter): Promise<void> {
    const { message, source } = letter;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [DEAD_LETTER_REASON_HEADER]: letter.code,
            [DEAD_LETTER_DETAIL_HEADER]: letter.detail.slice(0, MAX_DETAIL),
            [DEAD_LETTER_SOURCE_HEADER]: `${source.topic}/${source.partition}/${source.offset}`,
          },
        },
      ],
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
