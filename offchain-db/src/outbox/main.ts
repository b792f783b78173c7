// The outbox relay process: publishes the outbox to Kafka, each event signed with the relay's key
// (P2P_EVENT_SIGNING_KEY_FILE), and serves /healthz and /metrics on
// P2P_OPS_HOST:P2P_OPS_PORT. One relay is active at a time (a PostgreSQL advisory lock); others stand by.
import pino from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { relayConfig } from '../config/offchainConfig';
import { startOpsServer } from '../ops/opsServer';
import { pipelineReadiness } from '../ops/pipelineReadiness';
import { runProcess } from '../ops/processMain';
import { EventSigner } from '../kafka/eventOrigin';
import { newPool } from '../store/pgPool';
import { KafkaPublisher } from './kafkaPublisher';
import { PgOutboxStore } from './pgOutboxStore';
import { OutboxRelay, type RelayObserver } from './relay';

const log = pino({ name: 'outbox-relay' });

function relayMetrics(registry: Registry): RelayObserver & { lastError: string | undefined } {
  collectDefaultMetrics({ register: registry, prefix: 'relay_' });
  const published = new Counter({
    name: 'outbox_published_total',
    help: 'Outbox events acknowledged by Kafka',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'outbox_publish_failures_total',
    help: 'Batches the broker did not acknowledge (retried)',
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'outbox_publish_batch_seconds',
    help: 'Time to publish one batch and receive its acknowledgement',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const state = {
    lastError: undefined as string | undefined,
    published(count: number, seconds: number) {
      published.inc(count);
      batchSeconds.observe(seconds);
      state.lastError = undefined;
    },
    failed(error: unknown) {
      failures.inc();
      state.lastError = String(error);
    },
  };
  return state;
}

async function main(): Promise<void> {
  const config = relayConfig(process.env);
  const pool = newPool(config.database, 3);
  const store = new PgOutboxStore(pool);
  const publisher = await KafkaPublisher.connect(config.kafka, EventSigner.fromFile(config.signingKeyFile));
  const registry = new Registry();
  const observer = relayMetrics(registry);
  const backlog = new Gauge({
    name: 'outbox_backlog',
    help: 'Outbox events not yet acknowledged',
    registers: [registry],
  });
  const relay = new OutboxRelay(store, publisher, observer, log);
  const health = async () => {
    const pending = await store.backlog().catch(() => undefined);
    return { healthy: pending !== undefined, backlog: pending, lastError: observer.lastError };
  };
  const server = await startOpsServer(
    config.ops,
    registry,
    health,
    async () => {
      backlog.set(await store.backlog());
    },
    pipelineReadiness(pool, config.mirrorMaxLagMs, health),
  );
  const shutdown = () => {
    relay.stop();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  log.info({ topic: publisher.topic }, 'outbox relay started');
  await relay.run();
  server.close();
  await publisher.close();
  await store.close();
}

runProcess('outbox relay', main, log);
