// Kafka from Maven Central (scripts/install/kafka.sh): one KRaft node acting as broker and controller,
// on loopback, formatted with a cluster id generated on the first start and kept in the state
// directory. The mirror's outbox relay publishes escrow events to it.
//
// Every listener is authenticated and encrypted: clients reach the CLIENT listener over TLS (a server
// certificate from the deployment's local CA) with SCRAM-SHA-512, one user per service; the
// controller listener takes TLS with SASL/PLAIN for the node's own controller principal (KRaft keeps
// SCRAM credentials in the metadata log, which a controller cannot read before it is up). The
// StandardAuthorizer refuses whatever no ACL allows; the ACLs are set by the kafka-access task.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand } from '../env/command';
import { kafkaHomeDir, stateDir } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { namedSecret } from '../env/stateSecret';
import type { DaemonSpec } from '../runner/serviceSpec';
import { kafkaBootstrap } from './kafkaEndpoint';
import { kafkaPassword, kafkaSuperUsers, kafkaUsers } from './kafkaUsers';
import { serviceServerTls, serviceTlsCaFile } from './serviceTls';

export { kafkaBootstrap } from './kafkaEndpoint';
export const kafkaServiceName = 'kafka';

const home = path.join(stateDir, 'kafka');
const dataDir = path.join(home, 'data');
const serverProperties = path.join(home, 'server.properties');
const log4jProperties = path.join(home, 'log4j2.properties');
const clusterIdFile = path.join(home, 'cluster-id');
/** The server's private key and certificate in one PEM file, the form Kafka's PEM keystore reads. */
const keystoreFile = path.join(home, 'keystore.pem');
/** A digest of the SCRAM users the log directory was formatted with. */
const usersDigestFile = path.join(home, 'scram-users.sha256');
const classpath = path.join(kafkaHomeDir, 'libs', '*');
const jvmOptions = ['-Xms128m', '-Xmx384m', '-XX:+UseG1GC', '-Djava.awt.headless=true'];

const CONTROLLER_PRINCIPAL = 'controller';
const SCRAM_MECHANISM = 'SCRAM-SHA-512';

function controllerPassword(): string {
  return namedSecret('kafka-controller-password');
}

/** A JAAS line; the passwords are base64url, so they need no escaping inside the quotes. */
function jaas(module: string, options: Record<string, string>): string {
  const pairs = Object.entries(options).map(([key, value]) => `${key}="${value}"`);
  return `${module} required ${pairs.join(' ')};`;
}

function serverConfig(): string {
  const controller = endpoint(portPlan.kafka.controller);
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${controller}`,
    listeners: `CLIENT://${kafkaBootstrap},CONTROLLER://${controller}`,
    'advertised.listeners': `CLIENT://${kafkaBootstrap}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'CLIENT',
    'listener.security.protocol.map': 'CLIENT:SASL_SSL,CONTROLLER:SASL_SSL',
    // TLS for both listeners: the server certificate of the local CA, which clients trust.
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': keystoreFile,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': serviceTlsCaFile,
    'ssl.client.auth': 'none',
    // Clients: SCRAM-SHA-512 only; the broker talks to itself as `broker`.
    'listener.name.client.sasl.enabled.mechanisms': SCRAM_MECHANISM,
    'sasl.mechanism.inter.broker.protocol': SCRAM_MECHANISM,
    'listener.name.client.scram-sha-512.sasl.jaas.config': jaas(
      'org.apache.kafka.common.security.scram.ScramLoginModule',
      { username: 'broker', password: kafkaPassword('broker') },
    ),
    // The controller: PLAIN over TLS, one principal known to the listener itself.
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': jaas(
      'org.apache.kafka.common.security.plain.PlainLoginModule',
      {
        username: CONTROLLER_PRINCIPAL,
        password: controllerPassword(),
        [`user_${CONTROLLER_PRINCIPAL}`]: controllerPassword(),
      },
    ),
    // Nothing is allowed that no ACL allows, except to the node itself and the runner's administrator.
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': 'false',
    'super.users': [...kafkaSuperUsers, CONTROLLER_PRINCIPAL].map((user) => `User:${user}`).join(';'),
    'log.dirs': dataDir,
    'num.partitions': 3,
    // Topics are created by the kafka-access task (and by tests, as admin), with their partition counts.
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

/** A fresh server certificate, with its key as PKCS#8 (the only private key form Kafka's PEM reads). */
function writeKeystore(): void {
  const tls = serviceServerTls('kafka');
  const key = crypto.createPrivateKey(tls.keyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
  fs.writeFileSync(keystoreFile, `${key}${tls.certPem}`, { mode: 0o600 });
}

/** The SCRAM credentials the log directory is formatted with, one `--add-scram` value per user. */
function scramCredentials(): string[] {
  return kafkaUsers.map((user) => `${SCRAM_MECHANISM}=[name=${user},password=${kafkaPassword(user)}]`);
}

function digestOf(credentials: readonly string[]): string {
  return crypto.createHash('sha256').update(credentials.join('\n')).digest('hex');
}

/**
 * Formats the log directory with every SCRAM user. The passwords reach the tool through a Java
 * argument file (mode 0600, removed after), never its command line. A directory formatted with other
 * users or passwords (or none, before SASL) is formatted again: Kafka only carries events the outbox
 * keeps, and `notifier replay` re-delivers from the delivery log.
 */
async function formatStorage(): Promise<void> {
  const credentials = scramCredentials();
  const digest = digestOf(credentials);
  const formatted = fs.existsSync(path.join(dataDir, 'meta.properties'));
  const formattedDigest = fs.existsSync(usersDigestFile) ? fs.readFileSync(usersDigestFile, 'utf8') : '';
  if (formatted && formattedDigest === digest) return;
  fs.rmSync(dataDir, { recursive: true, force: true });
  const argsFile = path.join(home, 'format.args');
  const args = [
    `-Dlog4j2.configurationFile=${log4jProperties}`,
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    clusterId(),
    '--config',
    serverProperties,
    ...credentials.flatMap((credential) => ['--add-scram', credential]),
  ];
  fs.writeFileSync(argsFile, args.map((arg) => `"${arg}"`).join('\n'), { mode: 0o600 });
  try {
    await runCommand('java', [...jvmOptions, `@${argsFile}`]);
  } finally {
    fs.rmSync(argsFile, { force: true });
  }
  fs.writeFileSync(usersDigestFile, digest);
}

async function prepare(): Promise<void> {
  if (!fs.existsSync(path.join(kafkaHomeDir, '.installed'))) {
    throw new Error(`Kafka is not installed in ${kafkaHomeDir}: run scripts/install/kafka.sh`);
  }
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  writeKeystore();
  // server.properties holds the broker's and the controller's passwords.
  fs.writeFileSync(serverProperties, `${serverConfig()}\n`, { mode: 0o600 });
  fs.chmodSync(serverProperties, 0o600);
  fs.writeFileSync(log4jProperties, `${log4jConfig}\n`);
  await formatStorage();
}

export function kafkaDaemon(): DaemonSpec {
  return {
    kind: 'daemon',
    name: kafkaServiceName,
    description: 'Kafka (KRaft, single node, SASL_SSL): escrow events from the outbox relay',
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
    // A new pinned version, or the switch to SASL_SSL, restarts the broker; KRaft upgrades its
    // metadata in place.
    fingerprint: () => `${kafkaHomeDir} sasl_ssl`,
    prepare,
  };
}
