// Test support for the off-chain tier against the live stack: the projection's database, waits on
// the mirror's checkpoint, and a Kafka reader of the escrow topic (as the `reader` user). The pool is built here from `pg`
// with the runner's settings (the test kit depends on no service package).
import { databasePoolConfig } from '@p2p-escrow/fabric-client';
import {
  channelName,
  kafkaClientSettings,
  kafkaConnectionOf,
  offchainOwnerDatabaseEnv,
  postgresCaFile,
  projectionOwnerUrl,
  offchainTopic,
  readerGroupPrefix,
} from '@p2p-escrow/scripts';
import { Kafka, logLevel } from 'kafkajs';
import * as crypto from 'node:crypto';
import { Pool, types, type CustomTypesConfig } from 'pg';

export const CHANNEL = channelName;

/** int8 columns (block numbers, ids) as bigints, as the mirror's own pools read them. */
const int8AsBigInt: CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === types.builtins.INT8 && format !== 'binary'
      ? (value: string) => BigInt(value)
      : (types.getTypeParser(oid, format) as (value: string) => unknown),
};

/**
 * A pool on the projection database, its search_path set to `schema` (a scratch copy, or public). It
 * signs in as the schema owner (the migrations' role), since suites create and drop scratch schemas.
 */
export function projectionPool(schema = 'public'): Pool {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
  const { P2P_DATABASE_URL: url = '', P2P_DATABASE_CA: caFile = '' } = offchainOwnerDatabaseEnv(schema);
  const pool = new Pool({
    ...databasePoolConfig({ url, caFile }),
    max: 5,
    application_name: 'offchain-test',
    options: `-c search_path="${schema}",public`,
    types: int8AsBigInt,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** A pool on a marketplace's own projection database, as its owner (the migrations' role). */
export function orgProjectionPool(org: string): Pool {
  const pool = new Pool({
    ...databasePoolConfig({ url: projectionOwnerUrl(org), caFile: postgresCaFile }),
    max: 2,
    application_name: 'offchain-test',
    types: int8AsBigInt,
  });
  pool.on('error', () => undefined);
  return pool;
}

export async function checkpointOf(pool: Pool): Promise<bigint> {
  const result = await pool.query<{ last_block: bigint }>(
    'SELECT last_block FROM checkpoint WHERE channel = $1',
    [CHANNEL],
  );
  return result.rows[0]?.last_block ?? -1n;
}

/** Resolves once the mirror has applied block `blockNumber`. */
export async function mirroredThrough(pool: Pool, blockNumber: bigint, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await checkpointOf(pool)) < blockNumber) {
    if (Date.now() > deadline)
      throw new Error(`the mirror did not reach block ${blockNumber} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface TopicMessage {
  readonly key: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly value: Record<string, unknown>;
}

/**
 * Every message of the escrow topic whose key is in `keys`, read from the beginning up to the
 * end offsets as they are once `expected` events (by id) have been published (or the timeout).
 */
export async function topicMessages(
  keys: ReadonlySet<string>,
  expectedEventIds: ReadonlySet<string>,
  timeoutMs = 60_000,
): Promise<TopicMessage[]> {
  // As the audit reader: it may read the escrow topics, in groups of its own prefix, and write nothing.
  const kafka = new Kafka({
    ...kafkaConnectionOf(kafkaClientSettings('reader'), 'offchain-test'),
    logLevel: logLevel.NOTHING,
  });
  const groupId = `${readerGroupPrefix}offchain-test-${crypto.randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId });
  const received: TopicMessage[] = [];
  const seen = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: offchainTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        const key = message.key?.toString() ?? '';
        if (keys.has(key)) {
          const eventId = message.headers?.['event-id']?.toString() ?? '';
          seen.add(eventId);
          received.push({
            key,
            eventId,
            eventType: message.headers?.['event-type']?.toString() ?? '',
            partition,
            offset: BigInt(message.offset),
            value: JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>,
          });
        }
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + timeoutMs;
    while ([...expectedEventIds].some((id) => !seen.has(id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Let any duplicate published after the expected ones arrive too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    await consumer.disconnect();
  }
  return received;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}
