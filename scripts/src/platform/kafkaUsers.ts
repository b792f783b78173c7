// The Kafka principals of the local deployment: one SCRAM-SHA-512 user per service, each with a password
// generated under the state directory, created when the broker's log directory is formatted. A service
// is handed only its own user's password (P2P_KAFKA_USERNAME / P2P_KAFKA_PASSWORD).
import { namedSecret } from '../env/stateSecret';
import { serviceTlsCaFile } from './serviceTls';
import { kafkaBootstrap } from './kafkaEndpoint';

/**
 * `admin` sets up topics and ACLs (and creates scratch topics in tests), `broker` is the broker's own
 * inter-broker identity, `relay` publishes escrow events, `notifier` consumes them, `settlement` is the
 * marketplaces' settlement workers (each in its own consumer group), `risk` is the risk service,
 * `reader` is the audit and test reader of the escrow topics, `security` writes security events
 * (gateways, payments services, operator commands), `alerting` reads them.
 */
export const kafkaUsers = [
  'admin',
  'broker',
  'relay',
  'notifier',
  'settlement',
  'risk',
  'reader',
  'security',
  'alerting',
] as const;
export type KafkaUser = (typeof kafkaUsers)[number];

/** Principals with every permission: the runner's administrator and the broker itself. */
export const kafkaSuperUsers: readonly KafkaUser[] = ['admin', 'broker'];

export const kafkaSaslMechanism = 'scram-sha-512';

export function kafkaPassword(user: KafkaUser): string {
  return namedSecret(`kafka-${user}-password`);
}

/** How a client of `user` reaches the broker: TLS trusting the local CA, then SCRAM. */
export interface KafkaClientSettings {
  readonly brokers: readonly string[];
  readonly caFile: string;
  readonly username: string;
  readonly password: string;
}

export function kafkaClientSettings(user: KafkaUser): KafkaClientSettings {
  return {
    brokers: [kafkaBootstrap],
    caFile: serviceTlsCaFile,
    username: user,
    password: kafkaPassword(user),
  };
}

/** The P2P_KAFKA_* connection settings of a service that connects as `user`. */
export function kafkaClientEnv(user: KafkaUser): Record<string, string> {
  const settings = kafkaClientSettings(user);
  return {
    P2P_KAFKA_BROKERS: settings.brokers.join(','),
    P2P_KAFKA_CA_FILE: settings.caFile,
    P2P_KAFKA_USERNAME: settings.username,
    P2P_KAFKA_PASSWORD: settings.password,
  };
}
