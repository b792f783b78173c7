// Everything the off-chain services are configured with, read from the environment in one place.
// The service runner (scripts/src/offchain/) fills these from the port plan and the state directory.

export interface DatabaseConfig {
  readonly url: string;
  readonly schema: string;
  readonly applicationName: string;
}

export interface FabricConfig {
  readonly peerEndpoint: string;
  /** TLS server name the peer's certificate carries (the endpoint is an IP address). */
  readonly peerHostAlias: string;
  readonly tlsCaPath: string;
  readonly mspId: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly channel: string;
  readonly chaincode: string;
}

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId: string;
}

export interface OpsConfig {
  readonly host: string;
  readonly port: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function databaseConfig(env: Env = process.env, applicationName = 'offchain-db'): DatabaseConfig {
  return {
    url: required(env, 'OFFCHAIN_DATABASE_URL'),
    schema: env['OFFCHAIN_DB_SCHEMA'] ?? 'public',
    applicationName,
  };
}

export function fabricConfig(env: Env = process.env): FabricConfig {
  return {
    peerEndpoint: required(env, 'FABRIC_PEER_ENDPOINT'),
    peerHostAlias: env['FABRIC_PEER_HOST_ALIAS'] ?? 'localhost',
    tlsCaPath: required(env, 'FABRIC_TLS_CA'),
    mspId: required(env, 'FABRIC_MSP_ID'),
    certPath: required(env, 'FABRIC_CERT'),
    keyPath: required(env, 'FABRIC_KEY'),
    channel: env['FABRIC_CHANNEL'] ?? 'marketplace',
    chaincode: env['FABRIC_CHAINCODE'] ?? 'escrow',
  };
}

export function kafkaConfig(env: Env = process.env, clientId = 'outbox-relay'): KafkaConfig {
  return {
    brokers: required(env, 'KAFKA_BROKERS').split(','),
    topic: env['KAFKA_TOPIC'] ?? 'escrow-events',
    clientId,
  };
}

export function opsConfig(env: Env, portVariable: string): OpsConfig {
  const port = Number(required(env, portVariable));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${portVariable} is not a port`);
  return { host: env['OPS_HOST'] ?? '127.0.0.1', port };
}
