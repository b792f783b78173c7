// The notifier process: a Kafka consumer (group P2P_NOTIFIER_GROUP_ID, default `webhook-notifier`)
// that only enqueues delivery rows for events the relay signed (the rest go to the dead-letter topic),
// and a dispatcher that sends due deliveries; /healthz and /metrics on P2P_OPS_HOST:P2P_OPS_PORT.
//   node offchain-db/dist/webhooks/main.js                         run the daemon
//   node offchain-db/dist/webhooks/main.js replay --from-block N [--subscription ID]
//   node offchain-db/dist/webhooks/main.js replay --from-event <eventId> [--subscription ID]
import { LocalFileKeyProvider } from '@p2p-escrow/fabric-client';
import type { Pool } from 'pg';
import pino from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { notifierConfig, webhookReplayConfig, type WebhookReplayConfig } from '../config/offchainConfig';
import { EventVerifier } from '../kafka/eventOrigin';
import { kafkaClient } from '../kafka/kafkaClient';
import { KafkaDeadLetters } from '../kafka/kafkaDeadLetters';
import { startOpsServer } from '../ops/opsServer';
import { pipelineReadiness } from '../ops/pipelineReadiness';
import { runProcess } from '../ops/processMain';
import { newPool } from '../store/pgPool';
import type { ReplayFrom } from './deliveryStore';
import { defaultDispatcherOptions, Dispatcher, type DispatchObserver } from './dispatcher';
import { EventIntake, type IntakeObserver } from './eventIntake';
import { GuardedHttpSender } from './guardedSender';
import { PgDeliveryStore } from './pgDeliveryStore';

const log = pino({ name: 'notifier' });

function openStore(config: WebhookReplayConfig): { store: PgDeliveryStore; pool: Pool } {
  // The gateway creates the key file with the first sealed secret, maybe after the notifier starts.
  const keys = new LocalFileKeyProvider(config.keyEncryptionKeyFile, { create: false });
  const pool = newPool(config.database, 8);
  return { store: new PgDeliveryStore(pool, keys), pool };
}

function notifierMetrics(registry: Registry) {
  collectDefaultMetrics({ register: registry, prefix: 'notifier_' });
  const enqueued = new Counter({
    name: 'notifier_enqueued_total',
    help: 'Delivery rows enqueued from Kafka events',
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'notifier_delivered_total',
    help: 'Webhooks acknowledged with 2xx',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'notifier_delivery_failures_total',
    help: 'Webhook attempts that failed (retried or dead-lettered)',
    registers: [registry],
  });
  const dead = new Counter({
    name: 'notifier_dead_letters_total',
    help: 'Deliveries moved to the dead-letter state',
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'notifier_delivery_seconds',
    help: 'Time for a partner endpoint to acknowledge a webhook',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const byStatus = new Gauge({
    name: 'notifier_deliveries',
    help: 'Delivery rows by status',
    labelNames: ['status'],
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'notifier_events_dead_lettered_total',
    help: 'Kafka messages set aside on the dead-letter topic, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const intake: IntakeObserver = {
    enqueued: (deliveries) => {
      enqueued.inc(deliveries);
    },
    deadLettered: (reason) => {
      deadLettered.inc({ reason });
    },
  };
  const state = { lastError: undefined as string | undefined };
  const observer: DispatchObserver = {
    delivered: (value) => {
      delivered.inc();
      seconds.observe(value);
    },
    failed: (isDead) => {
      failures.inc();
      if (isDead) dead.inc();
    },
    loopFailed: (error) => {
      state.lastError = String(error);
    },
  };
  return { intake, byStatus, observer, state };
}

async function runDaemon(): Promise<void> {
  const config = notifierConfig(process.env);
  const { store, pool } = openStore(config);
  const registry = new Registry();
  const metrics = notifierMetrics(registry);
  const kafka = kafkaClient(config.kafka, config.kafka.clientId);
  const deadLetters = await KafkaDeadLetters.connect(kafka, config.deadLetterTopic);
  const intake = new EventIntake(
    store,
    deadLetters,
    EventVerifier.fromFile(config.verifyKeyFile),
    metrics.intake,
  );
  const consumer = kafka.consumer({ groupId: config.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
  // The offset is committed after the handler resolved, i.e. after the rows are in PostgreSQL or the
  // message on the dead-letter topic; a crash in between redelivers the message and the (subscription,
  // event id) key drops the duplicate.
  await consumer.run({
    eachMessage: ({ topic, partition, message }) =>
      intake.handle(message, { topic, partition, offset: message.offset }),
  });
  const sender = new GuardedHttpSender(config.endpoints.policy);
  const dispatcher = new Dispatcher(store, sender, metrics.observer, log, {
    ...defaultDispatcherOptions,
    perEndpoint: config.endpointConcurrency,
    pollMs: config.pollMs ?? defaultDispatcherOptions.pollMs,
    requestTimeoutMs: config.requestTimeoutMs ?? defaultDispatcherOptions.requestTimeoutMs,
  });
  const health = async () => {
    const counts = await store.counts().catch(() => undefined);
    return { healthy: counts !== undefined, deliveries: counts, lastError: metrics.state.lastError };
  };
  const server = await startOpsServer(
    config.ops,
    registry,
    health,
    async () => {
      for (const [status, n] of Object.entries(await store.counts())) metrics.byStatus.set({ status }, n);
    },
    pipelineReadiness(pool, config.mirrorMaxLagMs, health),
  );
  const shutdown = () => {
    dispatcher.stop();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  log.info({ topic: config.kafka.topic }, 'notifier started');
  await dispatcher.run();
  await consumer.disconnect();
  await deadLetters.close();
  server.close();
  await store.close();
}

function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function runReplay(args: readonly string[]): Promise<void> {
  const fromBlock = flag(args, '--from-block');
  const fromEvent = flag(args, '--from-event');
  const subscription = flag(args, '--subscription');
  let from: ReplayFrom;
  if (fromBlock !== undefined && /^\d+$/.test(fromBlock)) from = { blockNumber: BigInt(fromBlock) };
  else if (fromEvent !== undefined) from = { eventId: fromEvent };
  else throw new Error('usage: replay --from-block N | --from-event <eventId> [--subscription ID]');
  const { store } = openStore(webhookReplayConfig(process.env));
  try {
    const count = await store.replay(from, subscription === undefined ? undefined : BigInt(subscription));
    console.log(JSON.stringify({ reenqueued: count }));
  } finally {
    await store.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
runProcess('notifier', () => (command === 'replay' ? runReplay(rest) : runDaemon()), log);
