// One marketplace's settlement worker: consumes the escrow events (its own consumer group; only what
// the relay signed), settles each terminal escrow its marketplace collected, retries parked ones when
// due, and runs the scheduled reconciliation; /healthz and /metrics on P2P_OPS_HOST:P2P_OPS_PORT.
// The Kafka offset advances only once the handler resolved, i.e. once the ledger records the
// settlement or the escrow is parked in PostgreSQL; a crash in between hands the event over again, and
// the ledger's records and the idempotency keys make the repeat pay nothing twice.
import {
  EventVerifier,
  kafkaClient,
  newPool,
  readEscrowEvent,
  runProcess,
  startOpsServer,
  StoppableLoop,
} from '@p2p-escrow/offchain-db';
import pino from 'pino';
import { paymentProviderFromEnvironment } from '../index';
import { FabricPaymentsLedger } from '../ledger/fabricPaymentsLedger';
import { runReconciliation } from '../reconciliation/reconciliationRun';
import { reportText } from '../reconciliation/providerReconciliation';
import { PgParkedSettlements, PgPayeeAccounts } from '../store/pgPaymentsStore';
import { PgPartyVerifications, PgPendingPayouts } from '../store/pgVerificationStore';
import { PayoutGate } from './payoutGate';
import { readSettlementConfig } from './settlementConfig';
import { SettlementMetrics } from './settlementMetrics';
import { settlementObserver } from './settlementObserver';
import { startsSettlement } from './settlementTrigger';
import { SettlementWorker } from './settlementWorker';

// Written synchronously: the line saying the provider moved money is out before any crash that follows.
const log = pino({ name: 'settlement' }, pino.destination({ dest: 1, sync: true }));

/** Runs `tick` every `intervalMs` until `loop` stops; a failed tick is reported and the next one tries again. */
async function every(
  loop: StoppableLoop,
  intervalMs: number,
  tick: () => Promise<void>,
  onError: (error: unknown) => void,
): Promise<void> {
  for (;;) {
    await loop.pause(intervalMs);
    // stop() ends the pause early: no tick after it.
    if (!loop.running) return;
    await tick().catch(onError);
  }
}

async function main(): Promise<void> {
  const config = readSettlementConfig(process.env, 'settlement');
  const { marketplace } = config;
  const metrics = new SettlementMetrics();
  const provider = paymentProviderFromEnvironment(process.env, 'settlement', (call) => {
    metrics.providerCall(call);
    log.info({ call }, 'provider call');
  });
  const pool = newPool(config.database, 4);
  const ledger = FabricPaymentsLedger.open(config.fabric);
  const parked = new PgParkedSettlements(pool);
  // Test-only (a restarted worker must pay once): killed between the provider's answer and the record.
  const crash = config.crashAfterMove ? () => process.kill(process.pid, 'SIGKILL') : undefined;
  const worker = new SettlementWorker(
    ledger,
    provider,
    new PgPayeeAccounts(pool),
    parked,
    settlementObserver(log.child({ marketplace }), metrics, crash),
    { marketplace, backoff: config.backoff, now: () => new Date(), random: Math.random },
    new PayoutGate(new PgPartyVerifications(pool), new PgPendingPayouts(pool), config.verificationGate),
  );
  const refreshParked = async () => {
    const summary = await parked.summary();
    metrics.parked.set(summary.parked);
    metrics.oldestParkedSeconds.set(
      summary.oldestParkedAt === undefined ? 0 : (Date.now() - summary.oldestParkedAt.getTime()) / 1000,
    );
  };
  const state = { lastError: undefined as string | undefined, consuming: false };
  const server = await startOpsServer(
    config.ops,
    metrics.registry,
    async () => ({
      healthy: await pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      consuming: state.consuming,
      lastError: state.lastError,
    }),
    refreshParked,
  );

  const kafka = kafkaClient(config.kafka, `settlement-${marketplace.toLowerCase()}`);
  const verifier = EventVerifier.fromFile(config.verifyKeyFile);
  const consumer = kafka.consumer({
    groupId: config.kafka.groupId,
    sessionTimeout: config.kafka.sessionTimeoutMs,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const reading = readEscrowEvent(message, verifier);
      if (reading.kind === 'refused') {
        metrics.refusedEvent(reading.code);
        log.warn(
          { code: reading.code, detail: reading.detail, partition, offset: message.offset },
          'security: escrow event refused',
        );
        return;
      }
      const { event } = reading;
      if (!startsSettlement(event.eventType, event.payload)) return;
      // Read as of the event's block: it came through Oversight's peer, and this org's may lag behind.
      const outcome = await worker.settle(event.escrowId, event.blockNumber);
      log.info({ escrowId: event.escrowId, eventId: event.eventId, outcome }, 'escrow event settled');
    },
  });
  state.consuming = true;

  // One loop each: a StoppableLoop wakes the one pause it is in.
  const retryLoop = new StoppableLoop();
  const reconcileLoop = new StoppableLoop();
  const failed = (error: unknown) => {
    state.lastError = String(error);
    log.error({ err: state.lastError }, 'settlement loop failed');
  };
  const reconcileScheduled = async () => {
    const now = new Date();
    const period = { from: new Date(now.getTime() - config.reconcileLookbackMs), to: now };
    const report = await runReconciliation(provider, ledger, marketplace, period).catch((error: unknown) => {
      metrics.reconcileFailed();
      throw error;
    });
    metrics.reconciled(report, now);
    (report.clean ? log.info.bind(log) : log.warn.bind(log))({ clean: report.clean }, reportText(report));
  };
  const loops = [
    every(
      retryLoop,
      config.retryPollMs,
      async () => {
        await worker.retryDue(20);
        await worker.retryReleasable(20);
        await refreshParked();
      },
      failed,
    ),
    ...(config.reconcileIntervalMs > 0
      ? [every(reconcileLoop, config.reconcileIntervalMs, reconcileScheduled, failed)]
      : []),
  ];
  log.info({ marketplace, groupId: config.kafka.groupId }, 'settlement worker started');
  const stop = () => {
    retryLoop.stop();
    reconcileLoop.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await Promise.all(loops);
  await consumer.disconnect();
  server.close();
  ledger.close();
  await pool.end();
  log.info({}, 'settlement worker stopped');
}

runProcess('settlement', main, log);
