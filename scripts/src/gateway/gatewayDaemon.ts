// The gateway API as a runner daemon, configured by its P2P_* environment, built here from the port
// plan, the topology and the state directory, so the gateway itself knows no project layout. Its
// tables are migrated by the database-migrate task before it starts.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { secretsDir } from '../env/stateSecret';
import { chaincodeName } from '../network/chaincodeDeployment';
import { gatewayRegistrarId, gatewayRegistrarSecret } from '../network/certificateAuthority';
import {
  caCertPath,
  caUrl,
  channelName,
  peerEndpoint,
  peerOrgs,
  type PeerOrgSpec,
} from '../network/topology';
import { databaseMigrateTaskName } from '../platform/databaseMigrations';
import { realmUrl } from '../platform/keycloak';
import { escrowServiceUrl, postgresCaFile } from '../platform/postgres';
import { redisUrl } from '../platform/redis';
import { serviceTlsCaFile, serviceTlsDir } from '../platform/serviceTls';
import { webhookEndpointEnv } from '../offchain/webhookEndpointEnv';
import type { DaemonSpec } from '../runner/serviceSpec';

export const gatewayServiceName = 'gateway';
/** The key that seals users' Fabric identities: the gateway's alone. */
export const identityKeyEncryptionKeyFile = path.join(secretsDir, 'identity-key-encryption-key');
/** The key that seals webhook signing secrets: the gateway seals them, the notifier opens them. */
export const webhookKeyEncryptionKeyFile = path.join(secretsDir, 'webhook-key-encryption-key');
/** Where the gateway keeps its server certificates: the local deployment's one TLS directory. */
export const gatewayTlsDir = serviceTlsDir;
/** The audience the gateway requires in access tokens (the realm's gateway client). */
export const gatewayAudience = 'escrow-gateway';

/** The gateway serves HTTPS only, with a certificate of the local CA (`serviceTlsCaFile`). */
export function gatewayUrl(): string {
  return `https://${endpoint(portPlan.gateway.https)}`;
}

/** The per-org variable of the gateway's scheme: P2P_FABRIC_ORG_<ORG>_<SETTING>. */
function orgVariable(org: string, name: string): string {
  return `P2P_FABRIC_ORG_${org.toUpperCase()}_${name}`;
}

function orgEnvironment({ name: org, mspId }: PeerOrgSpec): [string, string][] {
  return Object.entries({
    [orgVariable(org, 'MSP_ID')]: mspId,
    [orgVariable(org, 'PEER_ENDPOINT')]: peerEndpoint(org),
    // Node refuses an IP address as TLS server name; the peers' certificates also name localhost.
    [orgVariable(org, 'PEER_HOST_ALIAS')]: 'localhost',
    [orgVariable(org, 'PEER_TLS_ROOT_CERT')]: caCertPath(org),
    [orgVariable(org, 'CA_URL')]: caUrl(org),
    [orgVariable(org, 'CA_NAME')]: `ca-${org.toLowerCase()}`,
    [orgVariable(org, 'CA_TLS_ROOT_CERT')]: caCertPath(org),
    // The org's gateway registrar (client identities only), never the CA's bootstrap admin.
    [orgVariable(org, 'REGISTRAR_ID')]: gatewayRegistrarId,
    [orgVariable(org, 'REGISTRAR_SECRET')]: gatewayRegistrarSecret(org),
  });
}

/**
 * The gateway's whole configuration (gateway-api/src/config/gatewayConfig.ts reads it). It holds the
 * database password and the registrars' secrets: they go into the gateway's environment only, never
 * into a log or a file.
 */
export function gatewayEnvironment(): Record<string, string> {
  return {
    P2P_GATEWAY_HOST: portPlan.host,
    P2P_GATEWAY_PORT: String(portPlan.gateway.https),
    P2P_GATEWAY_TLS_DIR: gatewayTlsDir,
    P2P_FABRIC_CHANNEL: channelName,
    P2P_FABRIC_CHAINCODE: chaincodeName,
    P2P_FABRIC_ORGS: peerOrgs.map((org) => org.name).join(','),
    ...Object.fromEntries(peerOrgs.flatMap(orgEnvironment)),
    P2P_KEYCLOAK_ISSUER: realmUrl,
    P2P_KEYCLOAK_JWKS_URL: `${realmUrl}/protocol/openid-connect/certs`,
    P2P_KEYCLOAK_AUDIENCE: gatewayAudience,
    P2P_KEYCLOAK_CA_FILE: serviceTlsCaFile,
    P2P_DATABASE_URL: escrowServiceUrl('gateway'),
    P2P_DATABASE_CA: postgresCaFile,
    P2P_REDIS_URL: redisUrl('gateway'),
    P2P_IDENTITY_KEY_ENCRYPTION_KEY_FILE: identityKeyEncryptionKeyFile,
    P2P_WEBHOOK_KEY_ENCRYPTION_KEY_FILE: webhookKeyEncryptionKeyFile,
    ...webhookEndpointEnv(),
  };
}

/** Identifies a configuration without revealing it: a hash over the sorted variables. */
function fingerprintOf(env: Readonly<Record<string, string>>): string {
  const hash = crypto.createHash('sha256');
  for (const name of Object.keys(env).sort()) hash.update(`${name}=${env[name] ?? ''}\n`);
  return hash.digest('hex');
}

export function gatewayDaemon(dependsOn: string[]): DaemonSpec {
  return {
    kind: 'daemon',
    name: gatewayServiceName,
    description: 'Gateway API: Keycloak-authenticated REST, signing as each user’s Fabric identity',
    dependsOn: [...new Set([...dependsOn, databaseMigrateTaskName])],
    command: process.execPath,
    args: [path.join(repoRoot, 'gateway-api', 'dist', 'main.js')],
    // Read when the runner starts the daemon: the secrets it names exist by then.
    get env() {
      return { ...gatewayEnvironment(), NODE_ENV: 'production' };
    },
    cwd: path.join(repoRoot, 'gateway-api'),
    ports: [portPlan.gateway.https],
    health: { kind: 'http', url: `${gatewayUrl()}/healthz` },
    startTimeoutSeconds: 60,
    fingerprint: () => fingerprintOf(gatewayEnvironment()),
  };
}
