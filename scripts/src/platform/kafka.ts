// Kafka from Maven Central (scripts/install/kafka.sh): one KRaft node acting as broker and controller,
// on loopback, formatted once with a cluster id generated on the first start and kept in the state
// directory. The mirror's outbox relay publishes escrow events to it.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand } from '../env/command';
import { kafkaHomeDir, stateDir } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import type { DaemonSpec } from '../runner/serviceSpec';

export const kafkaServiceName = 'kafka';
export const kafkaBootstrap = endpoint(portPlan.kafka.listen);

const home = path.join(stateDir, 'kafka');
const dataDir = path.join(home, 'data');
const serverProperties = path.join(home, 'server.properties');
const log4jProperties = path.join(home, 'log4j2.properties');
const clusterIdFile = path.join(home, 'cluster-id');
const classpath = path.join(kafkaHomeDir, 'libs', '*');
const jvmOptions = ['-Xms128m', '-Xmx384m', '-XX:+UseG1GC', '-Djava.awt.headless=true'];

function serverConfig(): string {
  const controller = endpoint(portPlan.kafka.controller);
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${controller}`,
    listeners: `PLAINTEXT://${kafkaBootstrap},CONTROLLER://${controller}`,
    'advertised.listeners': `PLAINTEXT://${kafkaBootstrap}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 3,
    // Topics are created by the services that own them, with their partition counts.
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

const log4jConfig = [
  'appender.stdout.type = Console',
  'appender.stdout.name = STDOUT',
  'appender.stdout.layout.type = PatternLayout',
  'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  'logger.request.name = kafka.request.logger',
  'logger.request.level = WARN',
  'logger.stateChange.name = state.change.logger',
  'logger.stateChange.level = WARN',
].join('\n');

/**
 * Kafka's cluster ids are 16 random bytes in unpadded base64url, like `StorageTool random-uuid`, which
 * also never returns an id starting with '-': the tool's argument parser would read it as an option.
 */
function clusterId(): string {
  if (!fs.existsSync(clusterIdFile)) {
    let id = crypto.randomBytes(16).toString('base64url');
    while (id.startsWith('-')) id = crypto.randomBytes(16).toString('base64url');
    fs.writeFileSync(clusterIdFile, id);
  }
  return fs.readFileSync(clusterIdFile, 'utf8').trim();
}

async function prepare(): Promise<void> {
  if (!fs.existsSync(path.join(kafkaHomeDir, '.installed'))) {
    throw new Error(`Kafka is not installed in ${kafkaHomeDir}: run scripts/install/kafka.sh`);
  }
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(serverProperties, `${serverConfig()}\n`);
  fs.writeFileSync(log4jProperties, `${log4jConfig}\n`);
  if (fs.existsSync(path.join(dataDir, 'meta.properties'))) return;
  await runCommand('java', [
    ...jvmOptions,
    `-Dlog4j2.configurationFile=${log4jProperties}`,
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    clusterId(),
    '--config',
    serverProperties,
  ]);
}

export function kafkaDaemon(): DaemonSpec {
  return {
    kind: 'daemon',
    name: kafkaServiceName,
    description: 'Kafka (KRaft, single node): escrow events from the outbox relay',
    dependsOn: [],
    command: 'java',
    args: [
      ...jvmOptions,
      `-Dlog4j2.configurationFile=${log4jProperties}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      serverProperties,
    ],
    env: {},
    cwd: home,
    ports: [portPlan.kafka.listen, portPlan.kafka.controller],
    health: { kind: 'tcp', host: portPlan.host, port: portPlan.kafka.listen },
    startTimeoutSeconds: 120,
    // A new pinned version restarts the broker; KRaft upgrades its metadata in place.
    fingerprint: () => kafkaHomeDir,
    prepare,
  };
}
