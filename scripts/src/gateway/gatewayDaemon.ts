// The gateway API as a runner daemon: its config file is written from the port plan, the topology
// and the state directory before every start, so the gateway itself knows no project layout.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, stateDir } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { secretsDir } from '../env/stateSecret';
import { chaincodeName } from '../network/chaincodeDeployment';
import { caCertPath, caUrl, channelName, orgDir, peerEndpoint, peerOrgs } from '../network/topology';
import { postgresUrl } from '../platform/postgres';
import { redisUrl } from '../platform/redis';
import type { DaemonSpec } from '../runner/serviceSpec';

export const gatewayServiceName = 'gateway';
export const gatewayConfigFile = path.join(stateDir, 'gateway', 'config.json');
export const keycloakRealm = 'p2p-escrow';
/** The gateway's key-encryption key; the notifier opens the webhook secrets sealed with it. */
export const gatewayKeyEncryptionKeyFile = path.join(secretsDir, 'gateway-key-encryption-key');

export function gatewayUrl(): string {
  return `http://${endpoint(portPlan.gateway.http)}`;
}

export function keycloakIssuer(): string {
  return `http://${endpoint(portPlan.keycloak.http)}/realms/${keycloakRealm}`;
}

/** The gateway's configuration (gateway-api/src/config/gatewayConfig.ts reads it). */
export function gatewayConfig(): Record<string, unknown> {
  return {
    host: portPlan.host,
    port: portPlan.gateway.http,
    channel: channelName,
    chaincode: chaincodeName,
    orgs: peerOrgs.map((org) => ({
      name: org.name,
      mspId: org.mspId,
      peerEndpoint: peerEndpoint(org.name),
      // Node refuses an IP address as TLS server name; the peers' certificates also name localhost.
      peerHostAlias: 'localhost',
      peerTlsRootCertPath: caCertPath(org.name),
      caUrl: caUrl(org.name),
      caName: `ca-${org.name.toLowerCase()}`,
      caTlsRootCertPath: caCertPath(org.name),
      registrarMspDir: path.join(orgDir(org.name), 'registrar', 'msp'),
    })),
    keycloak: {
      issuer: keycloakIssuer(),
      jwksUrl: `${keycloakIssuer()}/protocol/openid-connect/certs`,
      audience: 'escrow-gateway',
    },
    postgres: { connectionString: postgresUrl('escrow') },
    redis: { url: redisUrl },
    keyEncryptionKeyFile: gatewayKeyEncryptionKeyFile,
  };
}

function configText(): string {
  return `${JSON.stringify(gatewayConfig(), null, 2)}\n`;
}

export function gatewayDaemon(dependsOn: string[]): DaemonSpec {
  return {
    kind: 'daemon',
    name: gatewayServiceName,
    description: 'Gateway API: Keycloak-authenticated REST, signing as each user’s Fabric identity',
    dependsOn,
    command: process.execPath,
    args: [path.join(repoRoot, 'gateway-api', 'dist', 'main.js')],
    env: { GATEWAY_CONFIG_FILE: gatewayConfigFile, NODE_ENV: 'production' },
    cwd: path.join(repoRoot, 'gateway-api'),
    ports: [portPlan.gateway.http],
    health: { kind: 'http', url: `${gatewayUrl()}/healthz` },
    startTimeoutSeconds: 60,
    fingerprint: () => crypto.createHash('sha256').update(configText()).digest('hex'),
    prepare: () => {
      fs.mkdirSync(path.dirname(gatewayConfigFile), { recursive: true, mode: 0o700 });
      // The file holds the database password: readable by this user only.
      fs.writeFileSync(gatewayConfigFile, configText(), { mode: 0o600 });
      return Promise.resolve();
    },
  };
}
