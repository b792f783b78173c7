// The gateway's configuration: one JSON file written by the service runner (paths and ports come from
// the project's port plan and state directory), with a few environment overrides for tests and replicas.
import * as fs from 'node:fs';
import { IDEMPOTENCY_LEASE_MARGIN_SECONDS } from '../idempotency/idempotencyStore';

export interface OrgConfig {
  /** Organization name as the chaincode knows it: MarketA, MarketB, Oversight. */
  readonly name: string;
  readonly mspId: string;
  /** host:port of the org's peer (gateway service). */
  readonly peerEndpoint: string;
  /** TLS server name the peer's certificate carries. */
  readonly peerHostAlias: string;
  readonly peerTlsRootCertPath: string;
  readonly caUrl: string;
  readonly caName: string;
  readonly caTlsRootCertPath: string;
  /** MSP folder of the CA registrar (signcerts/cert.pem, keystore/*). */
  readonly registrarMspDir: string;
}

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Serve HTTPS with a certificate from the state directory (GATEWAY_TLS=1); loopback HTTP otherwise. */
  readonly tls: boolean;
  readonly channel: string;
  readonly chaincode: string;
  readonly orgs: readonly OrgConfig[];
  readonly keycloak: {
    readonly issuer: string;
    readonly jwksUrl: string;
    readonly audience: string;
    /** Seconds added to the clock that checks token expiry (GATEWAY_TOKEN_CLOCK_OFFSET_SECONDS); 0 in service. */
    readonly clockOffsetSeconds: number;
  };
  readonly postgres: { readonly connectionString: string };
  readonly redis: { readonly url: string };
  /** Where the local key provider keeps the key-encryption key (created on first start, mode 0600). */
  readonly keyEncryptionKeyFile: string;
  readonly limits: {
    readonly bodyBytes: number;
    readonly perClientPerMinute: number;
    readonly perUserPerMinute: number;
    /** Redis key prefix of the counters; replicas that share limits share it. */
    readonly rateKeyPrefix: string;
  };
  readonly deadlinesMs: {
    readonly evaluate: number;
    readonly endorse: number;
    readonly submit: number;
    readonly commitStatus: number;
    /** After a commit, how long to wait for the other orgs' peers to have it (read-your-writes). */
    readonly peerCatchUp: number;
  };
  readonly gatewayCacheSize: number;
  /** How long one request holds its Idempotency-Key before a retry may take it over. */
  readonly idempotencyLeaseSeconds: number;
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`gateway config: ${name} must be a string`);
  return value;
}

function numberOr(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new Error(`gateway config: ${name} must be a positive number`);
  return value;
}

type Json = Record<string, unknown>;

function object(value: unknown, name: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`gateway config: ${name} must be an object`);
  return value as Json;
}

function parseOrg(value: unknown, index: number): OrgConfig {
  const org = object(value, `orgs[${index}]`);
  const field = (name: string) => requireString(org[name], `orgs[${index}].${name}`);
  return {
    name: field('name'),
    mspId: field('mspId'),
    peerEndpoint: field('peerEndpoint'),
    peerHostAlias: field('peerHostAlias'),
    peerTlsRootCertPath: field('peerTlsRootCertPath'),
    caUrl: field('caUrl'),
    caName: field('caName'),
    caTlsRootCertPath: field('caTlsRootCertPath'),
    registrarMspDir: field('registrarMspDir'),
  };
}

/** Parses the config file's JSON; environment variables win over the file for what replicas vary. */
export function parseGatewayConfig(raw: unknown, env: NodeJS.ProcessEnv = {}): GatewayConfig {
  const root = object(raw, 'root');
  const keycloak = object(root['keycloak'], 'keycloak');
  const limits = object(root['limits'] ?? {}, 'limits');
  const deadlines = object(root['deadlinesMs'] ?? {}, 'deadlinesMs');
  const envNumber = (name: string): number | undefined =>
    env[name] === undefined ? undefined : Number(env[name]);
  if (!Array.isArray(root['orgs'])) throw new Error('gateway config: orgs must be an array');
  const deadlinesMs = {
    evaluate: numberOr(deadlines['evaluate'], 5_000, 'deadlinesMs.evaluate'),
    endorse: numberOr(deadlines['endorse'], 15_000, 'deadlinesMs.endorse'),
    submit: numberOr(deadlines['submit'], 5_000, 'deadlinesMs.submit'),
    commitStatus: numberOr(
      envNumber('GATEWAY_COMMIT_DEADLINE_MS') ?? deadlines['commitStatus'],
      20_000,
      'deadlinesMs.commitStatus',
    ),
    peerCatchUp: numberOr(deadlines['peerCatchUp'], 5_000, 'deadlinesMs.peerCatchUp'),
  };
  // The lease outlasts the longest a request may run, with a margin for retries and storing its answer.
  const requestDeadlineSeconds = Math.ceil(
    (deadlinesMs.endorse + deadlinesMs.submit + deadlinesMs.commitStatus + deadlinesMs.peerCatchUp) / 1000,
  );
  return {
    host: env['GATEWAY_HOST'] ?? requireString(root['host'], 'host'),
    port: numberOr(envNumber('GATEWAY_PORT') ?? root['port'], 0, 'port'),
    tls: env['GATEWAY_TLS'] === undefined ? root['tls'] === true : env['GATEWAY_TLS'] === '1',
    channel: requireString(root['channel'], 'channel'),
    chaincode: requireString(root['chaincode'], 'chaincode'),
    orgs: root['orgs'].map(parseOrg),
    keycloak: {
      issuer: requireString(keycloak['issuer'], 'keycloak.issuer'),
      jwksUrl: requireString(keycloak['jwksUrl'], 'keycloak.jwksUrl'),
      audience: requireString(keycloak['audience'], 'keycloak.audience'),
      clockOffsetSeconds: Number(env['GATEWAY_TOKEN_CLOCK_OFFSET_SECONDS'] ?? 0) || 0,
    },
    postgres: {
      connectionString: requireString(
        object(root['postgres'], 'postgres')['connectionString'],
        'postgres.connectionString',
      ),
    },
    redis: { url: requireString(object(root['redis'], 'redis')['url'], 'redis.url') },
    keyEncryptionKeyFile: requireString(root['keyEncryptionKeyFile'], 'keyEncryptionKeyFile'),
    limits: {
      bodyBytes: numberOr(limits['bodyBytes'], 64 * 1024, 'limits.bodyBytes'),
      perClientPerMinute: numberOr(
        envNumber('GATEWAY_RATE_PER_CLIENT') ?? limits['perClientPerMinute'],
        6000,
        'limits.perClientPerMinute',
      ),
      perUserPerMinute: numberOr(
        envNumber('GATEWAY_RATE_PER_USER') ?? limits['perUserPerMinute'],
        1200,
        'limits.perUserPerMinute',
      ),
      rateKeyPrefix: env['GATEWAY_RATE_KEY_PREFIX'] ?? 'gateway:rl',
    },
    deadlinesMs,
    gatewayCacheSize: numberOr(root['gatewayCacheSize'], 256, 'gatewayCacheSize'),
    idempotencyLeaseSeconds: numberOr(
      envNumber('GATEWAY_IDEMPOTENCY_LEASE_SECONDS') ?? root['idempotencyLeaseSeconds'],
      requestDeadlineSeconds + IDEMPOTENCY_LEASE_MARGIN_SECONDS,
      'idempotencyLeaseSeconds',
    ),
  };
}

export function loadGatewayConfig(file: string, env: NodeJS.ProcessEnv): GatewayConfig {
  return parseGatewayConfig(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, env);
}
