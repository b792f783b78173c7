// The risk service: consumes the escrow events in its own consumer group (only what the relay
// signed), assesses each against the rules in force and records the decision, the shadow rules'
// hits, review rows and pending holds with its checkpoint in one PostgreSQL transaction; a loop
// raises the pending holds on the ledger as Oversight's risk identity. Every review and every hold
// on the ledger is also a security event (its JSON-lines file and the security-events topic).
// /healthz and /metrics on P2P_OPS_HOST:P2P_OPS_PORT. The rules file is reloaded when it changes and
// on SIGHUP.
import { organizationOfMspId } from '@p2p-escrow/chaincode';
import {
  EventVerifier,
  kafkaClient,
  newPool,
  runProcess,
  securityEmitterFromEnvironment,
  startOpsServer,
  StoppableLoop,
} from '@p2p-escrow/offchain-db';
import pino from 'pino';
import { FabricHoldLedger } from '../holds/fabricHoldLedger';
import { HoldSubmitter } from '../holds/holdSubmitter';
import { RulesSource } from '../rules/rulesSource';
import { RiskSecurityEvents } from '../security/riskSecurityEvents';
import { PgRiskStore } from '../store/pgRiskStore';
import { readRiskConfig } from './riskConfig';
import { RiskConsumer } from './riskConsumer';
import { RiskMetrics } from './riskMetrics';

const log = pino({ name: 'risk' });
/** The service's name in its security events and their file (`<state>/security/risk.jsonl`). */
const SECURITY_SOURCE = 'risk';

async function main(): Promise<void> {
  const config = readRiskConfig(process.env);
  const metrics = new RiskMetrics();
  const rules = new RulesSource(config.rulesFile, ({ loaded, error }) => {
    if (loaded !== undefined)
      log.info({ sha256: loaded.sha256, rules: loaded.ruleSet.rules.length }, 'rules reloaded');
    if (error !== undefined) log.error({ err: error }, 'rules file refused; the rules in force stay');
  });
  const stopWatching = rules.watch(config.rulesPollMs);
  const pool = newPool(config.database, 4);
  const store = new PgRiskStore(pool);
  const ledger = FabricHoldLedger.open(config.fabric);
  const security = securityEmitterFromEnvironment(process.env, SECURITY_SOURCE, metrics.registry);
  const organization = organizationOfMspId(config.fabric.mspId);
  const securityEvents = new RiskSecurityEvents(security, {
    source: SECURITY_SOURCE,
    actor: {
      mspId: config.fabric.mspId,
      ...(organization === undefined ? {} : { org: organization }),
      verified: true,
    },
  });
  const submitter = new HoldSubmitter(
    store,
    ledger,
    {
      raised: (hold, transactionId) => {
        metrics.holds.inc({ outcome: 'raised' });
        securityEvents.holdRaised(hold, transactionId);
        log.info({ escrowId: hold.escrowId, rule: hold.rule, transactionId }, 'hold raised on the ledger');
      },
      refused: (hold, code) => {
        metrics.holds.inc({ outcome: 'refused' });
        log.warn({ escrowId: hold.escrowId, rule: hold.rule, code }, 'hold refused by the ledger');
      },
      failed: (hold, error) => {
        metrics.holds.inc({ outcome: 'failed' });
        log.warn(
          { escrowId: hold.escrowId, rule: hold.rule, err: String(error) },
          'hold not raised yet; retrying',
        );
      },
    },
    { batchSize: 20, leaseMs: 60_000, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 },
  );
  const state = { lastError: undefined as string | undefined, consuming: false };
  const server = await startOpsServer(config.ops, metrics.registry, async () => ({
    healthy: await pool.query('SELECT 1').then(
      () => true,
      () => false,
    ),
    consuming: state.consuming,
    rules: rules.status,
    lastError: state.lastError,
  }));

  const consumerOf = new RiskConsumer(
    store,
    EventVerifier.fromFile(config.verifyKeyFile),
    () => rules.current,
  );
  const holdLoop = new StoppableLoop();
  const kafka = kafkaClient(config.kafka, 'risk-service');
  const consumer = kafka.consumer({
    groupId: config.kafka.groupId,
    sessionTimeout: config.kafka.sessionTimeoutMs,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
  // The offset is committed to Kafka after the handler resolved; the PostgreSQL checkpoint is what
  // makes a message read twice (a crash between the two) write nothing the second time.
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const result = await consumerOf.handle(message, {
        groupId: config.kafka.groupId,
        topic,
        partition,
        offset: BigInt(message.offset),
      });
      switch (result.kind) {
        case 'decided': {
          const { event, outcome } = result;
          metrics.decisions.inc({ action: outcome.decision.action, shadow: 'false' });
          for (const rule of outcome.shadowHits)
            metrics.decisions.inc({ action: rule.action, shadow: 'true' });
          metrics.lagSeconds.observe(Math.max(0, Date.now() - event.at) / 1000);
          securityEvents.decided(event, outcome);
          if (outcome.decision.rule !== undefined || outcome.shadowHits.length > 0)
            log.info(
              {
                eventId: event.eventId,
                escrowId: event.escrowId,
                rule: outcome.decision.rule?.name,
                action: outcome.decision.action,
                shadow: outcome.shadowHits.map((rule) => rule.name),
              },
              'risk decision',
            );
          if (outcome.decision.action === 'hold') holdLoop.wake();
          break;
        }
        case 'refused':
          metrics.skipped.inc({ reason: result.code });
          log.warn(
            { code: result.code, detail: result.detail, partition, offset: message.offset },
            'security: escrow event refused',
          );
          break;
        case 'unprojected':
          metrics.skipped.inc({ reason: 'UNPROJECTED' });
          log.warn(
            { escrowId: result.escrowId, partition, offset: message.offset },
            'escrow not in the projection',
          );
          break;
        case 'duplicate':
          break;
      }
    },
  });
  state.consuming = true;
  log.info({ groupId: config.kafka.groupId, rules: rules.status }, 'risk service started');

  const stop = () => {
    holdLoop.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  while (holdLoop.running) {
    await submitter.submitDue().then(
      () => {
        state.lastError = undefined;
      },
      (error: unknown) => {
        state.lastError = String(error);
        log.error({ err: state.lastError }, 'hold loop failed');
      },
    );
    await holdLoop.pause(config.holdPollMs);
  }
  stopWatching();
  await consumer.disconnect();
  server.close();
  ledger.close();
  await security.close();
  await pool.end();
  log.info({}, 'risk service stopped');
}

runProcess('risk', main, log);
