// The escrow event topic, created once with its partition count by whichever process needs it first
// (the relay to publish, the notifier to subscribe), so neither depends on broker auto-creation.
import type { Kafka } from 'kafkajs';

export const escrowEventPartitions = 6;

export async function ensureTopic(
  kafka: Kafka,
  topic: string,
  partitions = escrowEventPartitions,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      // Resolves false rather than failing when another process created it in the meantime.
      await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}
