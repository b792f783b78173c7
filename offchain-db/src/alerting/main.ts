// The alerting service: consumes the security events topic (its own group), runs the rules of
// P2P_ALERT_RULES_FILE over them, and posts each alert, signed, to the alert webhook.
// /healthz and /metrics on P2P_OPS_HOST:P2P_OPS_PORT.
import { readSecurityEvent } from '@p2p-escrow/fabric-client';
import * as fs from 'node:fs';
import pino from 'pino';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { kafkaClient } from '../kafka/kafkaClient';
import { startOpsServer } from '../ops/opsServer';
import { runProcess } from '../ops/processMain';
import { AlertDelivery } from './alertDelivery';
import { alertingConfig } from './alertingConfig';
import { AlertRuleEngine, readAlertRules } from './alertRules';
import { alertTargetOf } from './alertTarget';

const log = pino({ name: 'alerting' });

function alertingMetrics(registry: Registry) {
  collectDefaultMetrics({ register: registry, prefix: 'alerting_' });
  const events = new Counter({
    name: 'alerting_events_total',
    help: 'Security events read from the topic, by whether they were readable',
    labelNames: ['readable'],
    registers: [registry],
  });
  const fired = new Counter({
    name: 'alerting_alerts_fired_total',
    help: 'Alerts raised by the rules, by rule',
    labelNames: ['rule'],
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'alerting_deliveries_total',
    help: 'Alert deliveries by rule and outcome (delivered, failed, no_target, duplicate, overflow)',
    labelNames: ['rule', 'outcome'],
    registers: [registry],
  });
  return { events, fired, outcomes };
}

async function runDaemon(): Promise<void> {
  const config = alertingConfig(process.env);
  const rules = readAlertRules(JSON.parse(fs.readFileSync(config.rulesFile, 'utf8')));
  const secret = fs.readFileSync(config.webhookSecretFile, 'utf8').trim();
  const registry = new Registry();
  const metrics = alertingMetrics(registry);
  const engine = new AlertRuleEngine(rules);
  const delivery = new AlertDelivery(alertTargetOf(config.webhookUrl, config.webhookUrlFile), () => secret, {
    outcome: (rule, outcome) => {
      metrics.outcomes.inc({ rule, outcome });
      if (outcome !== 'delivered') log.warn({ rule, outcome }, 'alert not delivered');
    },
  });
  const kafka = kafkaClient(config.kafka, 'security-alerting');
  const consumer = kafka.consumer({ groupId: config.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: config.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      let event;
      try {
        event = readSecurityEvent(JSON.parse(message.value?.toString('utf8') ?? ''));
      } catch {
        // An unreadable message is counted and skipped: it must not stop the stream.
        metrics.events.inc({ readable: 'false' });
        return Promise.resolve();
      }
      metrics.events.inc({ readable: 'true' });
      for (const alert of engine.observe(event)) {
        metrics.fired.inc({ rule: alert.rule });
        log.info({ rule: alert.rule, key: alert.key, count: alert.count, id: alert.id }, 'alert raised');
        delivery.send(alert);
      }
      return Promise.resolve();
    },
  });
  const server = await startOpsServer(config.ops, registry, () =>
    Promise.resolve({ healthy: true, rules: rules.map((rule) => rule.name) }),
  );
  log.info({ topic: config.topic, rules: rules.length }, 'alerting started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await consumer.disconnect();
  await delivery.idle();
  server.close();
}

runProcess('alerting', runDaemon, log);
