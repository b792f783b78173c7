// The gateway API as runner daemons, one per peer org, each configured by its P2P_* environment, built
// here from the port plan, the topology and the state directory, so the gateway itself knows no
// project layout. Each acts for its own org alone: that org's realm, its CA and registrar secret
// (never another org's), its own port; the other orgs' peers only as public endpoints, to wait for
// its writes to reach them. Its tables are migrated by the database-migrate task before it starts.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { secretsDir } from '../env/stateSecret';
import { chaincodeName } from '../network/chaincodeDeployment';
import { gatewayRegistrarId, gatewayRegistrarSecret } from '../network/certificateAuthority';
import { caCertPath, caUrl, channelName, peerEndpoint, peerOrg, peerOrgs } from '../network/topology';
import { databaseMigrateTaskName } from '../platform/databaseMigrations';
import { realmNameOf } from '../platform/keycloak';
import { identityProviderOf, issuerAt, type IdentityProvider } from '../platform/identityProvider';
import {
  gatewayDatabaseSchema,
  gatewayDatabaseUrl,
  hasOwnProjection,
  postgresCaFile,
  projectionGatewayUrl,
} from '../platform/postgres';
import { redisUrl } from '../platform/redis';
import { serviceTlsDir } from '../platform/serviceTls';
import { securityEmitterEnv } from '../offchain/securityEvents';
import { webhookEndpointEnv } from '../offchain/webhookEndpointEnv';
import type { DaemonSpec } from '../runner/serviceSpec';
import { stripeEnvironment } from '../payments/stripeMock';

/** The orgs that run a gateway: every peer org (Oversight's serves arbiters and auditors). */
export const gatewayOrgs = peerOrgs.map((org) => org.name);

/** `gateway-marketa`, `gateway-marketb`, `gateway-oversight`. */
export function gatewayServiceName(org: string): string {
  return `gateway-${org.toLowerCase()}`;
}
/** The key that seals users' Fabric identities: the gateway's alone. */
export const identityKeyEncryptionKeyFile = path.join(secretsDir, 'identity-key-encryption-key');
/** The key that seals webhook signing secrets: the gateway seals them, the notifier opens them. */
export const webhookKeyEncryptionKeyFile = path.join(secretsDir, 'webhook-key-encryption-key');
/** Where the gateway keeps its server certificates: the local deployment's one TLS directory. */
export const gatewayTlsDir = serviceTlsDir;
/** Where the console's build puts the files the gateways serve (console/vite.config.mjs). */
export const consoleBundleDir = path.join(repoRoot, 'console', 'bundle');
/** The audience the gateway requires in access tokens (the realm's gateway client). */
export const gatewayAudience = 'escrow-gateway';

export function gatewayPort(org: string): number {
  const ports = portPlan.gateway[org];
  if (ports === undefined) throw new Error(`network/ports.json has no gateway port for ${org}`);
  return ports.https;
}

/** An org's gateway serves HTTPS only, with a certificate of the local CA (`serviceTlsCaFile`). */
export function gatewayUrl(org: string): string {
  return `https://${endpoint(gatewayPort(org))}`;
}

/** The org whose gateway listens at `url` (its origin), if one does. */
export function gatewayOrgAt(url: string): string | undefined {
  const origin = new URL(url).origin;
  return gatewayOrgs.find((org) => new URL(gatewayUrl(org)).origin === origin);
}

/** The per-org variable of the gateway's scheme: P2P_FABRIC_ORG_<ORG>_<SETTING>. */
function orgVariable(org: string, name: string): string {
  return `P2P_FABRIC_ORG_${org.toUpperCase()}_${name}`;
}

/** What any gateway may know of an org: its peer's public endpoint and TLS root, its MSP ID. */
function peerEnvironment(org: string): [string, string][] {
  return Object.entries({
    [orgVariable(org, 'MSP_ID')]: peerOrg(org).mspId,
    [orgVariable(org, 'PEER_ENDPOINT')]: peerEndpoint(org),
    // Node refuses an IP address as TLS server name; the peers' certificates also name localhost.
    [orgVariable(org, 'PEER_HOST_ALIAS')]: 'localhost',
    [orgVariable(org, 'PEER_TLS_ROOT_CERT')]: caCertPath(org),
  });
}

/** What only the org's own gateway holds: its CA and the registrar's secret there. */
function ownOrgEnvironment(org: string): [string, string][] {
  return Object.entries({
    [orgVariable(org, 'CA_URL')]: caUrl(org),
    [orgVariable(org, 'CA_NAME')]: `ca-${org.toLowerCase()}`,
    [orgVariable(org, 'CA_TLS_ROOT_CERT')]: caCertPath(org),
    // The org's gateway registrar (client identities only), never the CA's bootstrap admin.
    [orgVariable(org, 'REGISTRAR_ID')]: gatewayRegistrarId,
    [orgVariable(org, 'REGISTRAR_SECRET')]: gatewayRegistrarSecret(org),
  });
}

/**
 * `org`'s gateway's whole configuration (gateway-api/src/config/gatewayConfig.ts reads it). It holds
 * the database password and its org's registrar secret: they go into that gateway's environment
 * only, never into a log or a file. `reached`: the orgs whose peers it waits on after a write, whose
 * TLS roots this state directory holds (every org side by side; on its own host, its own alone).
 * `provider`: where its realm lives (the local Keycloak, or the one `org start` named).
 */
export function gatewayEnvironment(
  org: string,
  reached: readonly string[] = gatewayOrgs,
  provider: IdentityProvider = identityProviderOf(),
): Record<string, string> {
  const realmUrl = issuerAt(provider, org);
  const others = reached.filter((candidate) => candidate !== org);
  return {
    P2P_GATEWAY_HOST: portPlan.host,
    P2P_GATEWAY_PORT: String(gatewayPort(org)),
    P2P_GATEWAY_TLS_DIR: gatewayTlsDir,
    // The web console's build (console/, `npm start` builds it when missing), served under /console.
    P2P_GATEWAY_CONSOLE_DIR: consoleBundleDir,
    P2P_FABRIC_CHANNEL: channelName,
    P2P_FABRIC_CHAINCODE: chaincodeName,
    P2P_FABRIC_ORG: org,
    P2P_FABRIC_ORGS: [org, ...others].join(','),
    ...Object.fromEntries([org, ...others].flatMap(peerEnvironment)),
    ...Object.fromEntries(ownOrgEnvironment(org)),
    P2P_KEYCLOAK_ISSUER: realmUrl,
    P2P_KEYCLOAK_JWKS_URL: `${realmUrl}/protocol/openid-connect/certs`,
    P2P_KEYCLOAK_AUDIENCE: gatewayAudience,
    P2P_KEYCLOAK_CA_FILE: provider.caFile,
    // Its own role and schema: no gateway reads another's identities or idempotency records.
    P2P_DATABASE_URL: gatewayDatabaseUrl(org),
    P2P_GATEWAY_DATABASE_SCHEMA: gatewayDatabaseSchema(org),
    P2P_DATABASE_CA: postgresCaFile,
    // Search reads its own org's projection: a marketplace's trades alone, or the auditor's whole one.
    ...(hasOwnProjection(org) ? { P2P_PROJECTION_DATABASE_URL: projectionGatewayUrl(org) } : {}),
    P2P_REDIS_URL: redisUrl('gateway'),
    P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE: identityKeyEncryptionKeyFile,
    P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: webhookKeyEncryptionKeyFile,
    ...webhookEndpointEnv(),
    ...providerEnvironment(),
    ...securityEmitterEnv(gatewayServiceName(org)),
  };
}

/** Where the local payment provider (stripe-mock) listens: loopback only, as the port plan says. */
const localProviderHost = '127.0.0.1';

/**
 * The payment provider as the gateway reaches it to open buyers' payments: without the webhook
 * endpoint secret, which only the payments services hold (with it the gateway could forge the events
 * that fund escrows); at the local provider's loopback address even when the gateway binds its own
 * host's (an org on its own host runs no provider: opening a payment there fails, the gateway runs).
 */
export function providerEnvironment(provider = stripeEnvironment()): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...provider, P2P_STRIPE_HOST: localProviderHost }).filter(
      ([name]) => name !== 'P2P_STRIPE_WEBHOOK_SECRET',
    ),
  );
}

/** Identifies a configuration without revealing it: a hash over the sorted variables. */
function fingerprintOf(env: Readonly<Record<string, string>>): string {
  const hash = crypto.createHash('sha256');
  for (const name of Object.keys(env).sort()) hash.update(`${name}=${env[name] ?? ''}\n`);
  return hash.digest('hex');
}

export function gatewayDaemon(
  org: string,
  dependsOn: string[],
  reached: readonly string[] = gatewayOrgs,
): DaemonSpec {
  return {
    kind: 'daemon',
    name: gatewayServiceName(org),
    description: `${org}'s gateway API: tokens of realm ${realmNameOf(org)}, signing as ${org}'s users' Fabric identities`,
    dependsOn: [...new Set([...dependsOn, databaseMigrateTaskName])],
    command: process.execPath,
    args: [path.join(repoRoot, 'gateway-api', 'dist', 'main.js')],
    // Read when the runner starts the daemon: the secrets it names exist by then.
    get env() {
      return { ...gatewayEnvironment(org, reached), NODE_ENV: 'production' };
    },
    cwd: path.join(repoRoot, 'gateway-api'),
    ports: [gatewayPort(org)],
    health: { kind: 'http', url: `${gatewayUrl(org)}/healthz` },
    startTimeoutSeconds: 60,
    fingerprint: () => fingerprintOf(gatewayEnvironment(org, reached)),
  };
}
