// The kafka-access task: as the administrator, creates the escrow topics and grants each service only
// what its job needs. Only the relay may write the escrow topic; the notifier reads it (in its own
// group) and writes the dead-letter topic; the reader reads both. The security events topic is
// written by the `security` user and read by the alerting service (and the reader). Idempotent: an existing topic or
// ACL is left as it is.
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type AclEntry,
  type KafkaConfig,
} from 'kafkajs';
import * as fs from 'node:fs';
import type { TaskSpec } from '../runner/serviceSpec';
import { kafkaServiceName } from './kafka';
import {
  kafkaClientSettings,
  kafkaSaslMechanism,
  type KafkaClientSettings,
  type KafkaUser,
} from './kafkaUsers';

export const kafkaAccessTaskName = 'kafka-access';

/** The relay's escrow events, key-partitioned by escrow id. */
export const escrowEventsTopic = 'escrow-events';
/** Where the notifier sets aside the messages it cannot read or whose origin it cannot verify. */
export const escrowDeadLetterTopic = `${escrowEventsTopic}.dead-letter`;
/** The notifier's consumer group. */
export const notifierGroupId = 'webhook-notifier';
/** Each marketplace's settlement worker consumes in its own group, `settlement-<org>`. */
export const settlementGroupPrefix = 'settlement-';
export function settlementGroupId(org: string): string {
  return `${settlementGroupPrefix}${org.toLowerCase()}`;
}
/** The risk service's consumer group. */
export const riskGroupId = 'risk-service';
/** Consumer groups of the audit and test reader start with this. */
export const readerGroupPrefix = 'reader-';
/**
 * The SOC's security events (offchain-db's schema). One partition: the alerting service counts
 * bursts across every key in arrival order, and the volume is small.
 */
export const securityEventsTopic = 'security-events';
/** The alerting service's consumer group. */
export const alertingGroupId = 'security-alerting';

const TOPICS = [
  { topic: escrowEventsTopic, numPartitions: 6 },
  { topic: escrowDeadLetterTopic, numPartitions: 1 },
  { topic: securityEventsTopic, numPartitions: 1 },
];

/** kafkajs options for a client connecting with `settings` (TLS trusting the local CA, then SCRAM). */
export function kafkaConnectionOf(settings: KafkaClientSettings, clientId: string): KafkaConfig {
  return {
    clientId,
    brokers: [...settings.brokers],
    ssl: { ca: [fs.readFileSync(settings.caFile, 'utf8')] },
    sasl: { mechanism: kafkaSaslMechanism, username: settings.username, password: settings.password },
    logLevel: logLevel.WARN,
  };
}

type Grant = [AclResourceTypes, string, AclOperationTypes, ResourcePatternTypes?];

const topic = (name: string, operation: AclOperationTypes): Grant => [
  AclResourceTypes.TOPIC,
  name,
  operation,
];

/** What each service may do; nothing else is allowed to it. */
const kafkaGrants: Readonly<Partial<Record<KafkaUser, readonly Grant[]>>> = {
  relay: [
    topic(escrowEventsTopic, AclOperationTypes.WRITE),
    topic(escrowEventsTopic, AclOperationTypes.DESCRIBE),
    // The relay's producer is idempotent.
    [AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.IDEMPOTENT_WRITE],
  ],
  notifier: [
    topic(escrowEventsTopic, AclOperationTypes.READ),
    topic(escrowEventsTopic, AclOperationTypes.DESCRIBE),
    [AclResourceTypes.GROUP, notifierGroupId, AclOperationTypes.READ],
    topic(escrowDeadLetterTopic, AclOperationTypes.WRITE),
    topic(escrowDeadLetterTopic, AclOperationTypes.DESCRIBE),
  ],
  settlement: [
    topic(escrowEventsTopic, AclOperationTypes.READ),
    topic(escrowEventsTopic, AclOperationTypes.DESCRIBE),
    [AclResourceTypes.GROUP, settlementGroupPrefix, AclOperationTypes.READ, ResourcePatternTypes.PREFIXED],
  ],
  // Every service that sees a security event writes it; nothing else.
  security: [
    topic(securityEventsTopic, AclOperationTypes.WRITE),
    topic(securityEventsTopic, AclOperationTypes.DESCRIBE),
  ],
  alerting: [
    topic(securityEventsTopic, AclOperationTypes.READ),
    topic(securityEventsTopic, AclOperationTypes.DESCRIBE),
    [AclResourceTypes.GROUP, alertingGroupId, AclOperationTypes.READ],
  ],
  risk: [
    topic(escrowEventsTopic, AclOperationTypes.READ),
    topic(escrowEventsTopic, AclOperationTypes.DESCRIBE),
    [AclResourceTypes.GROUP, riskGroupId, AclOperationTypes.READ],
  ],
  reader: [
    topic(escrowEventsTopic, AclOperationTypes.READ),
    topic(escrowDeadLetterTopic, AclOperationTypes.READ),
    topic(securityEventsTopic, AclOperationTypes.READ),
    [AclResourceTypes.GROUP, readerGroupPrefix, AclOperationTypes.READ, ResourcePatternTypes.PREFIXED],
  ],
};

function aclEntries(): AclEntry[] {
  return Object.entries(kafkaGrants).flatMap(([user, grants]) =>
    grants.map(([resourceType, resourceName, operation, pattern]) => ({
      resourceType,
      resourceName,
      resourcePatternType: pattern ?? ResourcePatternTypes.LITERAL,
      principal: `User:${user}`,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

async function setUpAccess(): Promise<void> {
  const kafka = new Kafka(kafkaConnectionOf(kafkaClientSettings('admin'), kafkaAccessTaskName));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = TOPICS.filter(({ topic: name }) => !existing.has(name));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((spec) => ({ ...spec, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    }
    await admin.createAcls({ acl: aclEntries() });
  } finally {
    await admin.disconnect();
  }
}

export function kafkaAccessTask(): TaskSpec {
  return {
    kind: 'task',
    name: kafkaAccessTaskName,
    description: 'Kafka: escrow topics and per-service ACLs',
    dependsOn: [kafkaServiceName],
    run: setUpAccess,
  };
}
