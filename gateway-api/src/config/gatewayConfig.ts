// The gateway's configuration: environment variables of the project's one scheme P2P_<AREA>_<SETTING>,
// read at start through one zod schema. The runner hands them (scripts/src/gateway/gatewayDaemon.ts);
// replicas vary the P2P_GATEWAY_* ones. A missing or malformed variable stops the gateway at start.
import {
  CertificateNameError,
  databaseConnectionOf,
  databaseSettings,
  isCertificateName,
  readEnvironment,
  setting,
  type CallDeadlines,
  type DatabaseConnection,
  type Env,
  defaultOfferPolicy,
  type OfferPolicy,
  type PeerEndpoint,
} from '@p2p-escrow/fabric-client';
import { isOrganizationName, mspIdOf } from '@p2p-escrow/chaincode';
import { z } from 'zod';
import { IDEMPOTENCY_LEASE_MARGIN_SECONDS } from '../idempotency/idempotencyStore';

/** An org whose peer the gateway reaches: public material only (MSP ID, endpoint, TLS root). */
export interface PeerOrgConfig {
  /** Organization name as the chaincode knows it: MarketA, MarketB, Oversight. */
  readonly name: string;
  readonly mspId: string;
  /** host:port of the org's peer (gateway service). */
  readonly peerEndpoint: string;
  /** TLS server name the peer's certificate carries. */
  readonly peerHostAlias: string;
  readonly peerTlsRootCertPath: string;
}

/** The org the gateway acts for: its peer, and its CA with the gateway's registrar there. */
export interface OrgConfig extends PeerOrgConfig {
  readonly caUrl: string;
  readonly caName: string;
  readonly caTlsRootCertPath: string;
  /**
   * The gateway's own registrar at the org's CA: it may register client identities with the role,
   * userId and marketplace attributes only (never the CA's bootstrap admin). The gateway enrolls it
   * with this secret on first use and keeps its key in memory.
   */
  readonly registrar: { readonly enrollmentId: string; readonly secret: string };
}

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /**
   * Gateway processes serving `port` (P2P_GATEWAY_WORKERS, default 1): above 1, a primary forks that
   * many cluster workers (cluster/gatewayWorkers.ts), which share the port, PostgreSQL and Redis.
   */
  readonly workers: number;
  /**
   * HTTPS with a certificate of the local CA kept in `dir` (the default); null only when development
   * asks for plain HTTP (P2P_GATEWAY_TLS=0), which a loopback host alone may serve. The certificate
   * names the loopback names, the bind host and `names` (P2P_GATEWAY_TLS_NAMES: the DNS names and
   * addresses clients reach the gateway by, e.g. its Kubernetes Service's).
   */
  readonly tls: { readonly dir: string; readonly names: readonly string[] } | null;
  readonly channel: string;
  readonly chaincode: string;
  /**
   * The one org this gateway acts for (P2P_FABRIC_ORG): it trusts that org's realm only, enrolls at
   * that org's CA only and signs as that org's users only.
   */
  readonly org: OrgConfig;
  /**
   * Every org whose peer the gateway reaches (P2P_FABRIC_ORGS, its own first): its own to submit
   * through, the others only to wait until they committed a write (read-your-writes).
   */
  readonly orgs: readonly PeerOrgConfig[];
  readonly keycloak: {
    readonly issuer: string;
    readonly jwksUrl: string;
    readonly audience: string;
    /** PEM file of the CA that issued Keycloak's HTTPS certificate (the JWKS is fetched over TLS). */
    readonly caFile?: string;
    /** Seconds added to the clock that checks token expiry; 0 in service, set by tests only. */
    readonly clockOffsetSeconds: number;
  };
  /** Its own database role over verified TLS (P2P_DATABASE_URL, P2P_DATABASE_CA). */
  readonly database: DatabaseConnection;
  /**
   * Its own org's projection of the ledger, which search reads (P2P_PROJECTION_DATABASE_URL, same
   * CA): a marketplace's holds only the trades it is party to. Its own database when not set.
   */
  readonly projectionDatabase: DatabaseConnection;
  /**
   * The schema of its own tables (identities, idempotency records, submitted transactions): one per
   * org's gateway, granted to that gateway's role alone (P2P_GATEWAY_DATABASE_SCHEMA, default `gateway`).
   */
  readonly databaseSchema: string;
  readonly redisUrl: string;
  /**
   * One key-encryption key per purpose (created on first use, mode 0600): `identity` seals the
   * users' Fabric keys and stays with the gateway; `webhook` seals the webhook signing secrets and
   * is shared with the notifier, which therefore cannot open an identity.
   */
  readonly keyEncryptionKeyFiles: { readonly identity: string; readonly webhook: string };
  readonly limits: {
    readonly bodyBytes: number;
    readonly perClientPerMinute: number;
    readonly perUserPerMinute: number;
    /** Requests per minute from one address whose token is missing or refused. */
    readonly perAddressPerMinute: number;
    /** OAuth clients used by many people (no shared client bucket: each user is limited alone). */
    readonly publicClients: readonly string[];
    /** Redis key prefix of the counters; replicas that share limits share it. */
    readonly rateKeyPrefix: string;
  };
  readonly deadlines: CallDeadlines;
  /** After a commit, how long to wait for the other orgs' peers to have it (read-your-writes). */
  readonly peerCatchUpMs: number;
  /** How a transaction the orderers refused or dropped is offered to them again (fabric-client's transactionOffer.ts). */
  readonly offerPolicy: OfferPolicy;
  /** Readiness fails once the mirror has not advanced for this long while the ledger has. */
  readonly mirrorMaxLagMs: number;
  /** How many Fabric Gateways (one per signing identity) stay open. */
  readonly connectionCacheSize: number;
  /** How long one request holds its Idempotency-Key before a retry may take it over. */
  readonly idempotencyLeaseSeconds: number;
  /**
   * The web console's built files, served under /console with the realm's issuer and the console's
   * public client (P2P_GATEWAY_CONSOLE_DIR, P2P_GATEWAY_CONSOLE_CLIENT); null: no console.
   */
  readonly console: { readonly dir: string; readonly clientId: string } | null;
}

/** The per-org variables: P2P_FABRIC_ORG_<ORG>_<SETTING>, ORG upper-cased (MarketA → MARKETA). */
export function orgVariable(org: string, name: string): string {
  return `P2P_FABRIC_ORG_${org.toUpperCase()}_${name}`;
}

/** What the gateway knows of every org whose peer it reaches: public material. */
const PEER_ORG_SETTINGS = {
  MSP_ID: setting.text(),
  PEER_ENDPOINT: setting.text(),
  PEER_HOST_ALIAS: setting.text().default('localhost'),
  PEER_TLS_ROOT_CERT: setting.file(),
} as const;

/** What it knows of its own org alone: the CA and the gateway's registrar there. */
const OWN_ORG_SETTINGS = {
  CA_URL: setting.url(),
  CA_NAME: setting.text(),
  CA_TLS_ROOT_CERT: setting.file(),
  REGISTRAR_ID: setting.text().default('gateway-registrar'),
  REGISTRAR_SECRET: setting.text(),
} as const;

const whole = () => z.coerce.number().int('must be a whole number');

const gatewaySettings = {
  P2P_GATEWAY_HOST: setting.text(),
  P2P_GATEWAY_PORT: setting.port(),
  P2P_GATEWAY_WORKERS: whole().min(1, 'must be at least 1').max(32, 'must be at most 32').default(1),
  P2P_GATEWAY_TLS: setting.flag().default(true),
  P2P_GATEWAY_TLS_DIR: setting.text().optional(),
  P2P_GATEWAY_TLS_NAMES: setting
    .list()
    .superRefine((names, context) => {
      const invalid = names.filter((name) => !isCertificateName(name));
      if (invalid.length > 0)
        context.addIssue({
          code: 'custom',
          message: new CertificateNameError(invalid).message,
        });
    })
    .default([]),
  P2P_FABRIC_CHANNEL: setting.text(),
  P2P_FABRIC_CHAINCODE: setting.text(),
  P2P_FABRIC_ORG: setting.text(),
  P2P_FABRIC_ORGS: setting.list().optional(),
  P2P_KEYCLOAK_ISSUER: setting.url(),
  P2P_KEYCLOAK_JWKS_URL: setting.url(),
  P2P_KEYCLOAK_AUDIENCE: setting.text(),
  P2P_KEYCLOAK_CA_FILE: setting.file().optional(),
  P2P_GATEWAY_TOKEN_CLOCK_OFFSET_SECONDS: whole().default(0),
  ...databaseSettings.shape,
  P2P_PROJECTION_DATABASE_URL: databaseSettings.shape.P2P_DATABASE_URL.optional(),
  P2P_GATEWAY_DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL name')
    .default('gateway'),
  P2P_REDIS_URL: setting.url(),
  P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE: setting.text(),
  P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: setting.text(),
  P2P_GATEWAY_BODY_LIMIT_BYTES: whole()
    .positive()
    .default(64 * 1024),
  P2P_GATEWAY_RATE_PER_CLIENT: setting.positive().default(6000),
  P2P_GATEWAY_RATE_PER_USER: setting.positive().default(1200),
  P2P_GATEWAY_RATE_KEY_PREFIX: setting.text().default('gateway:rl'),
  P2P_GATEWAY_RATE_PER_ADDRESS: setting.positive().default(600),
  P2P_GATEWAY_PUBLIC_CLIENTS: setting.list().default(['escrow-web', 'escrow-console']),
  P2P_GATEWAY_EVALUATE_DEADLINE_MS: setting.positive().default(5_000),
  P2P_GATEWAY_ENDORSE_DEADLINE_MS: setting.positive().default(15_000),
  P2P_GATEWAY_SUBMIT_DEADLINE_MS: setting.positive().default(5_000),
  P2P_GATEWAY_COMMIT_DEADLINE_MS: setting.positive().default(20_000),
  P2P_GATEWAY_PEER_CATCH_UP_DEADLINE_MS: setting.positive().default(5_000),
  P2P_GATEWAY_REOFFER_WINDOW_MS: setting.positive().default(20_000),
  // A copy offered while the first one is merely slow stalls the peers: see fabric-client's defaultOfferPolicy.
  P2P_GATEWAY_REOFFER_INTERVAL_MS: setting.positive().default(defaultOfferPolicy.reofferIntervalMs),
  P2P_GATEWAY_CONNECTION_CACHE_SIZE: whole().positive().default(256),
  P2P_GATEWAY_MIRROR_MAX_LAG_MS: setting.positive().default(60_000),
  P2P_GATEWAY_IDEMPOTENCY_LEASE_SECONDS: setting.positive().optional(),
  P2P_GATEWAY_CONSOLE_DIR: setting.text().optional(),
  P2P_GATEWAY_CONSOLE_CLIENT: setting.text().default('escrow-console'),
};

/** The gateway's own org, read leniently so the schema can name its variables. */
function ownOrg(env: Env): string {
  return (env['P2P_FABRIC_ORG'] ?? '').trim();
}

/**
 * The orgs whose peers the gateway reaches, its own first (P2P_FABRIC_ORGS, or its own alone), read
 * leniently so the schema can name their variables.
 */
function reachedOrgs(env: Env): string[] {
  const own = ownOrg(env);
  const listed = (env['P2P_FABRIC_ORGS'] ?? '')
    .split(',')
    .map((org) => org.trim())
    .filter((org) => org !== '');
  return [...new Set([own, ...listed].filter((org) => org !== ''))];
}

/** The per-org variables of settings only an org's own gateway may hold: its CA and registrar. */
const OWN_ORG_VARIABLE = new RegExp(`^P2P_FABRIC_ORG_(.+)_(${Object.keys(OWN_ORG_SETTINGS).join('|')})$`);

/** The only hosts a gateway may serve plain HTTP on (P2P_GATEWAY_TLS=0, development). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

function schemaFor(own: string, orgs: readonly string[], env: Env) {
  const orgShape: Record<string, z.ZodType> = {};
  for (const org of orgs)
    for (const [name, schema] of Object.entries(PEER_ORG_SETTINGS)) orgShape[orgVariable(org, name)] = schema;
  for (const [name, schema] of Object.entries(OWN_ORG_SETTINGS)) orgShape[orgVariable(own, name)] = schema;
  // Another org's CA or registrar setting means a deployment handed this gateway powers it must not have.
  const foreign = Object.keys(env).filter((name) => {
    const org = OWN_ORG_VARIABLE.exec(name)?.[1];
    return org !== undefined && org !== own.toUpperCase();
  });
  return z.object({ ...gatewaySettings, ...orgShape }).superRefine((settings, context) => {
    for (const name of foreign)
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `belongs to another org's gateway: this one acts for ${own} alone`,
      });
    if (settings.P2P_GATEWAY_TLS && settings.P2P_GATEWAY_TLS_DIR === undefined)
      context.addIssue({
        code: 'custom',
        path: ['P2P_GATEWAY_TLS_DIR'],
        message: 'is required unless P2P_GATEWAY_TLS=0',
      });
    if (!settings.P2P_GATEWAY_TLS && !LOOPBACK_HOSTS.has(settings.P2P_GATEWAY_HOST))
      context.addIssue({
        code: 'custom',
        path: ['P2P_GATEWAY_TLS'],
        message: `plain HTTP is for development on a loopback host only, not ${settings.P2P_GATEWAY_HOST}`,
      });
    if (settings.P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE === settings.P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE)
      context.addIssue({
        code: 'custom',
        path: ['P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE'],
        message: 'must name another file than P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE',
      });
  });
}

function peerOrgConfig(org: string, settings: Readonly<Record<string, unknown>>): PeerOrgConfig {
  const value = (name: keyof typeof PEER_ORG_SETTINGS) => String(settings[orgVariable(org, name)]);
  return {
    name: org,
    mspId: value('MSP_ID'),
    peerEndpoint: value('PEER_ENDPOINT'),
    peerHostAlias: value('PEER_HOST_ALIAS'),
    peerTlsRootCertPath: value('PEER_TLS_ROOT_CERT'),
  };
}

function orgConfig(org: string, settings: Readonly<Record<string, unknown>>): OrgConfig {
  const value = (name: keyof typeof OWN_ORG_SETTINGS) => String(settings[orgVariable(org, name)]);
  return {
    ...peerOrgConfig(org, settings),
    caUrl: value('CA_URL'),
    caName: value('CA_NAME'),
    caTlsRootCertPath: value('CA_TLS_ROOT_CERT'),
    registrar: { enrollmentId: value('REGISTRAR_ID'), secret: value('REGISTRAR_SECRET') },
  };
}

/** Variables whose values may hold a password: a problem names them but never shows their value. */
function secretVariables(env: Env): string[] {
  return [
    'P2P_DATABASE_URL',
    'P2P_PROJECTION_DATABASE_URL',
    'P2P_REDIS_URL',
    ...Object.keys(env).filter((name) => /_SECRET$/.test(name)),
  ];
}

function readSettings(own: string, orgs: readonly string[], env: Env) {
  return readEnvironment('gateway', schemaFor(own, orgs, env), env, secretVariables(env));
}

/** Reads the gateway's configuration from `env`; throws ConfigError naming every bad variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const own = ownOrg(env);
  const orgs = reachedOrgs(env);
  const settings = readSettings(own, orgs, env);
  const deadlines: CallDeadlines = {
    evaluateMs: settings.P2P_GATEWAY_EVALUATE_DEADLINE_MS,
    endorseMs: settings.P2P_GATEWAY_ENDORSE_DEADLINE_MS,
    submitMs: settings.P2P_GATEWAY_SUBMIT_DEADLINE_MS,
    commitStatusMs: settings.P2P_GATEWAY_COMMIT_DEADLINE_MS,
  };
  const peerCatchUpMs = settings.P2P_GATEWAY_PEER_CATCH_UP_DEADLINE_MS;
  const offerPolicy: OfferPolicy = {
    refusedWindowMs: settings.P2P_GATEWAY_REOFFER_WINDOW_MS,
    reofferIntervalMs: settings.P2P_GATEWAY_REOFFER_INTERVAL_MS,
  };
  // The lease outlasts the longest a request may run, with a margin for retries and storing its answer:
  // a transaction the orderers refused is offered again for up to the offer window.
  const requestDeadlineSeconds = Math.ceil(
    (deadlines.endorseMs +
      deadlines.submitMs +
      offerPolicy.refusedWindowMs +
      deadlines.commitStatusMs +
      peerCatchUpMs) /
      1000,
  );
  const tlsDir = settings.P2P_GATEWAY_TLS_DIR;
  return {
    host: settings.P2P_GATEWAY_HOST,
    port: settings.P2P_GATEWAY_PORT,
    workers: settings.P2P_GATEWAY_WORKERS,
    tls:
      settings.P2P_GATEWAY_TLS && tlsDir !== undefined
        ? { dir: tlsDir, names: settings.P2P_GATEWAY_TLS_NAMES }
        : null,
    channel: settings.P2P_FABRIC_CHANNEL,
    chaincode: settings.P2P_FABRIC_CHAINCODE,
    org: orgConfig(own, settings),
    orgs: orgs.map((org) => peerOrgConfig(org, settings)),
    keycloak: {
      issuer: settings.P2P_KEYCLOAK_ISSUER,
      jwksUrl: settings.P2P_KEYCLOAK_JWKS_URL,
      audience: settings.P2P_KEYCLOAK_AUDIENCE,
      ...(settings.P2P_KEYCLOAK_CA_FILE === undefined ? {} : { caFile: settings.P2P_KEYCLOAK_CA_FILE }),
      clockOffsetSeconds: settings.P2P_GATEWAY_TOKEN_CLOCK_OFFSET_SECONDS,
    },
    database: databaseConnectionOf(settings),
    projectionDatabase: databaseConnectionOf({
      ...settings,
      P2P_DATABASE_URL: settings.P2P_PROJECTION_DATABASE_URL ?? settings.P2P_DATABASE_URL,
    }),
    databaseSchema: settings.P2P_GATEWAY_DATABASE_SCHEMA,
    redisUrl: settings.P2P_REDIS_URL,
    keyEncryptionKeyFiles: {
      identity: settings.P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE,
      webhook: settings.P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE,
    },
    limits: {
      bodyBytes: settings.P2P_GATEWAY_BODY_LIMIT_BYTES,
      perClientPerMinute: settings.P2P_GATEWAY_RATE_PER_CLIENT,
      perUserPerMinute: settings.P2P_GATEWAY_RATE_PER_USER,
      perAddressPerMinute: settings.P2P_GATEWAY_RATE_PER_ADDRESS,
      publicClients: settings.P2P_GATEWAY_PUBLIC_CLIENTS,
      rateKeyPrefix: settings.P2P_GATEWAY_RATE_KEY_PREFIX,
    },
    deadlines,
    peerCatchUpMs,
    offerPolicy,
    connectionCacheSize: settings.P2P_GATEWAY_CONNECTION_CACHE_SIZE,
    mirrorMaxLagMs: settings.P2P_GATEWAY_MIRROR_MAX_LAG_MS,
    idempotencyLeaseSeconds:
      settings.P2P_GATEWAY_IDEMPOTENCY_LEASE_SECONDS ??
      requestDeadlineSeconds + IDEMPOTENCY_LEASE_MARGIN_SECONDS,
    console:
      settings.P2P_GATEWAY_CONSOLE_DIR === undefined
        ? null
        : { dir: settings.P2P_GATEWAY_CONSOLE_DIR, clientId: settings.P2P_GATEWAY_CONSOLE_CLIENT },
  };
}

/** The orgs the gateway goes through, by name: their MSP IDs (endorsing organizations). */
export interface OrgDirectory {
  readonly names: readonly string[];
  mspIdOf(org: string): string;
}

/**
 * `orgs` are the orgs whose peers the gateway reaches; another channel org (a gateway that reaches its
 * own peer alone still names the other party's org as endorser) has its MSP ID from the channel's
 * organization table.
 */
export function orgDirectory(orgs: readonly PeerOrgConfig[]): OrgDirectory {
  const mspIds = new Map(orgs.map((org) => [org.name, org.mspId]));
  return {
    names: orgs.map((org) => org.name),
    mspIdOf: (org) => {
      const mspId = mspIds.get(org) ?? (isOrganizationName(org) ? mspIdOf(org) : undefined);
      if (mspId === undefined) throw new Error(`no MSP ID known for organization ${org}`);
      return mspId;
    },
  };
}

/** Each org's peer, keyed by org name, for one PeerClientPool. */
export function peerEndpointsOf(orgs: readonly PeerOrgConfig[]): Map<string, PeerEndpoint> {
  return new Map(
    orgs.map((org) => [
      org.name,
      { address: org.peerEndpoint, hostAlias: org.peerHostAlias, tlsRootCertPath: org.peerTlsRootCertPath },
    ]),
  );
}
