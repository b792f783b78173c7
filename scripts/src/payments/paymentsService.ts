// Each marketplace's payments service (payments/src/service/main.ts) as a runner daemon: it receives
// the provider's webhooks and funds escrows as that marketplace's payments identity, whose key is
// handed to this daemon alone. Configured by P2P_PAYMENTS_*, P2P_FABRIC_* and the provider's
// P2P_STRIPE_* (stripe-mock locally), all built here from the port plan, topology and state directory.
import { mspKeystoreFile } from '@p2p-escrow/fabric-client';
import * as path from 'node:path';
import { repoRoot, stateDir } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { chaincodeName } from '../network/chaincodeDeployment';
import { caCertPath, channelName, identityDir, peerEndpoint, peerOrg, peerOrgs } from '../network/topology';
import { databaseMigrateTaskName } from '../platform/databaseMigrations';
import { serviceTlsDir } from '../platform/serviceTls';
import { securityEmitterEnv } from '../offchain/securityEvents';
import { paymentsDatabaseEnv } from './settlementDaemon';
import type { DaemonSpec } from '../runner/serviceSpec';
import { stripeEnvironment, stripeMockServiceName } from './stripeMock';

/** The marketplaces that collect payments: every peer org but Oversight. */
export const paymentsOrgs = peerOrgs.map((org) => org.name).filter((org) => org !== 'Oversight');

/** The webhook route the provider delivers to (payments/src/service/webhookApp.ts). */
export const providerWebhookPath = '/webhooks/provider';

/** The identity-verification provider's events (payments/src/service/webhookApp.ts). */
export const identityWebhookPath = '/webhooks/identity';

/** `payments-marketa`, `payments-marketb`. */
export function paymentsServiceName(org: string): string {
  return `payments-${org.toLowerCase()}`;
}

export function paymentsPort(org: string): number {
  const ports = portPlan.payments[org];
  if (ports === undefined) throw new Error(`network/ports.json has no payments port for ${org}`);
  return ports.https;
}

/** HTTPS with a certificate of the local CA; the provider's webhook endpoint is `${url}/webhooks/provider`. */
export function paymentsServiceUrl(org: string): string {
  return `https://${endpoint(paymentsPort(org))}`;
}

/** The payments identity the CA issued at start (topology.json: `<org>-payments`, role payments). */
export function paymentsIdentityOf(org: string): string {
  return `${org.toLowerCase()}-payments`;
}

/** Where that identity's certificate and key are: handed to the payments service alone. */
export function paymentsIdentityMspDir(org: string): string {
  return path.join(identityDir(org, paymentsIdentityOf(org)), 'msp');
}

export function paymentsEnvironment(org: string): Record<string, string> {
  const mspDir = paymentsIdentityMspDir(org);
  return {
    P2P_PAYMENTS_MARKETPLACE: org,
    P2P_PAYMENTS_HOST: portPlan.host,
    P2P_PAYMENTS_PORT: String(paymentsPort(org)),
    P2P_PAYMENTS_STATE_DIR: path.join(stateDir, 'payments', org.toLowerCase()),
    P2P_PAYMENTS_TLS_DIR: serviceTlsDir,
    P2P_FABRIC_PEER_ENDPOINT: peerEndpoint(org),
    P2P_FABRIC_PEER_HOST_ALIAS: 'localhost',
    P2P_FABRIC_PEER_TLS_ROOT_CERT: caCertPath(org),
    P2P_FABRIC_MSP_ID: peerOrg(org).mspId,
    P2P_FABRIC_CERT: path.join(mspDir, 'signcerts', 'cert.pem'),
    P2P_FABRIC_KEY: mspKeystoreFile(mspDir),
    P2P_FABRIC_CHANNEL: channelName,
    P2P_FABRIC_CHAINCODE: chaincodeName,
    // Its parties' identity verifications (the payout gate's records), as the payments role.
    ...paymentsDatabaseEnv(org),
    ...stripeEnvironment(),
    ...securityEmitterEnv(paymentsServiceName(org)),
  };
}

export function paymentsServiceDaemon(org: string, networkReady: string): DaemonSpec {
  return {
    kind: 'daemon',
    name: paymentsServiceName(org),
    description: `${org}'s payments service: the provider's webhooks fund escrows as ${paymentsIdentityOf(org)}`,
    dependsOn: [networkReady, databaseMigrateTaskName, stripeMockServiceName],
    command: process.execPath,
    args: [path.join(repoRoot, 'payments', 'dist', 'service', 'main.js')],
    // Read when the runner starts the daemon: the identity's key and the endpoint secret exist by then.
    get env() {
      return paymentsEnvironment(org);
    },
    cwd: path.join(repoRoot, 'payments'),
    ports: [paymentsPort(org)],
    health: { kind: 'http', url: `${paymentsServiceUrl(org)}/healthz` },
    startTimeoutSeconds: 60,
  };
}
