// The one way a service gets its security event emitter: from its P2P_SECURITY_* environment, with its
// counters on the service's own Prometheus registry. The file is required (it is where a SOC looks
// when everything else is down); Kafka is used when its settings are given.
import {
  defaultSecurityEmitterOptions,
  JsonLinesSecurityEventSink,
  readEnvironment,
  SecurityEventEmitter,
  setting,
  type Env,
  type SecurityEmitterObserver,
  type SecurityEventSink,
} from '@p2p-escrow/fabric-client';
import { Counter, type Registry } from 'prom-client';
import { z } from 'zod';
import { kafkaClient } from '../kafka/kafkaClient';
import { KafkaSecurityEventSink, SECURITY_EVENTS_TOPIC } from './kafkaSecurityEventSink';

const securityEmitterSchema = z.object({
  /** The JSON-lines file this process appends its security events to. */
  P2P_SECURITY_EVENTS_FILE: setting.text(),
  P2P_SECURITY_EVENTS_TOPIC: setting.text().default(SECURITY_EVENTS_TOPIC),
  P2P_SECURITY_EVENTS_CAPACITY: setting.positive().int().default(defaultSecurityEmitterOptions.capacity),
  /** The broker and the security events' own Kafka user (a writer of that topic only). */
  P2P_SECURITY_KAFKA_BROKERS: setting.list().optional(),
  P2P_SECURITY_KAFKA_CA_FILE: setting.file().optional(),
  P2P_SECURITY_KAFKA_USERNAME: setting.text().optional(),
  P2P_SECURITY_KAFKA_PASSWORD: setting.text().optional(),
});

/** The emitter's counters: events by type, and drops by sink and reason. */
export function securityEmitterMetrics(registry: Registry): SecurityEmitterObserver {
  const emitted = new Counter({
    name: 'security_events_emitted_total',
    help: 'Security events emitted, by type',
    labelNames: ['type'],
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'security_events_dropped_total',
    help: 'Security events not written to a sink: its queue was full, the write failed, or the event was malformed',
    labelNames: ['sink', 'reason'],
    registers: [registry],
  });
  return {
    emitted: (type) => {
      emitted.inc({ type });
    },
    dropped: (sink, reason, count) => {
      dropped.inc({ sink, reason }, count);
    },
  };
}

/** `service` names the process in ConfigError messages and is the Kafka client id. */
export function securityEmitterFromEnvironment(
  env: Env,
  service: string,
  registry: Registry,
): SecurityEventEmitter {
  const settings = readEnvironment(service, securityEmitterSchema, env, ['P2P_SECURITY_KAFKA_PASSWORD']);
  const sinks: SecurityEventSink[] = [new JsonLinesSecurityEventSink(settings.P2P_SECURITY_EVENTS_FILE)];
  const brokers = settings.P2P_SECURITY_KAFKA_BROKERS;
  const caFile = settings.P2P_SECURITY_KAFKA_CA_FILE;
  const username = settings.P2P_SECURITY_KAFKA_USERNAME;
  const password = settings.P2P_SECURITY_KAFKA_PASSWORD;
  if (brokers !== undefined && caFile !== undefined && username !== undefined && password !== undefined)
    sinks.push(
      new KafkaSecurityEventSink(
        kafkaClient({ brokers, caFile, username, password }, `${service}-security`),
        settings.P2P_SECURITY_EVENTS_TOPIC,
      ),
    );
  return new SecurityEventEmitter(sinks, securityEmitterMetrics(registry), {
    ...defaultSecurityEmitterOptions,
    capacity: settings.P2P_SECURITY_EVENTS_CAPACITY,
  });
}
