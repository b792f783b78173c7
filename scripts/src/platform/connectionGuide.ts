// What `npm start` prints about the data and identity services: where each listens, how to connect,
// where the generated secrets are, and the realm's demo users with their generated credentials.
import * as path from 'node:path';
import { endpoint, portPlan } from '../env/portPlan';
import { secretsDir } from '../env/stateSecret';
import { base32, demoUsers } from './demoUsers';
import { kafkaBootstrap } from './kafka';
import {
  backendClients,
  keycloakAdminUser,
  orgOfBackendClient,
  keycloakUrl,
  realmNameOf,
  realmOrgs,
  realmUrlOf,
} from './keycloak';
import {
  escrowServiceRole,
  escrowServices,
  gatewayDatabaseRole,
  gatewayDatabaseSchema,
  postgresCaFile,
  postgresDatabases,
} from './postgres';
import { redisAddress, redisUsers } from './redis';
import { serviceTlsCaFile } from './serviceTls';
import { gatewayOrgs, gatewayUrl } from '../gateway/gatewayDaemon';
import { consoleUrl } from './consoleClients';
import {
  paymentsIdentityOf,
  paymentsOrgs,
  paymentsServiceUrl,
  providerWebhookPath,
} from '../payments/paymentsService';

function secretFile(name: string): string {
  return path.join(secretsDir, name);
}

export function connectionGuide(): string[] {
  const postgres = endpoint(portPlan.postgres.listen);
  const lines = [
    `  PostgreSQL     ${postgres}, TLS only (verify against ${postgresCaFile}), e.g.`,
    ...postgresDatabases.map(
      (database) =>
        `                 psql "postgresql://${database}@${postgres}/${database}?sslmode=verify-full&sslrootcert=${postgresCaFile}"  (password in ${secretFile(`postgres-${database}-password`)})`,
    ),
    `                 service roles ${escrowServices.map(escrowServiceRole).join(', ')}: each its own password in ${secretFile('postgres-<role>-password')}`,
    `                 each org's gateway as ${gatewayOrgs.map(gatewayDatabaseRole).join(', ')} (a member of ${escrowServiceRole('gateway')}), its tables in its own schema ${gatewayOrgs.map(gatewayDatabaseSchema).join(', ')}`,
    ...Object.keys(redisUsers).map(
      (user) =>
        `  Redis          ${redisAddress}  ACL user ${user} (password in ${secretFile(`redis-${user}-password`)}); the default user is off`,
    ),
    `  Kafka          bootstrap ${kafkaBootstrap}  (SASL_SSL, SCRAM-SHA-512; CA ${serviceTlsCaFile}; user reader, password in ${secretFile('kafka-reader-password')})`,
    `  TLS            every TLS service's certificate comes from the local CA ${serviceTlsCaFile}`,
    ...realmOrgs.map(
      (org) =>
        `  Keycloak       realm ${realmNameOf(org).padEnd(13)} ${realmUrlOf(org)}  (${org}'s users; OIDC discovery at …/.well-known/openid-configuration)`,
    ),
    `                 admin console ${keycloakUrl}/admin/  user ${keycloakAdminUser}, password in ${secretFile('keycloak-admin-password')}`,
    ...backendClients.map(
      (clientId) =>
        `                 client ${clientId} of realm ${realmNameOf(orgOfBackendClient(clientId))} (client credentials), secret in ${secretFile(`keycloak-${clientId}-secret`)}`,
    ),
    '\n  gateways (one per org: each trusts its own realm only and signs as its own users only)',
    ...gatewayOrgs.map(
      (org) =>
        `    ${org.padEnd(10)} ${gatewayUrl(org)}  realm ${realmNameOf(org)}  (API reference at /docs)`,
    ),
    "\n  web console (each org's gateway serves it; sign in with a user of that org's realm, PKCE; arbiters and auditors give a TOTP code)",
    ...gatewayOrgs.map((org) => `    ${org.padEnd(10)} ${consoleUrl(org)}`),
    "\n  payments services (one per marketplace: the provider's webhooks fund escrows as its payments identity)",
    ...paymentsOrgs.map(
      (org) =>
        `    ${org.padEnd(10)} ${paymentsServiceUrl(org)}${providerWebhookPath}  as ${paymentsIdentityOf(org)}  (endpoint secret in ${secretFile('stripe-webhook-secret')})`,
    ),
    "\n  demo users (client escrow-web of their org's realm, password grant; TOTP secrets in base32 for an authenticator app)",
  ];
  for (const user of demoUsers()) {
    const totp = user.totpSecret === undefined ? '' : `  TOTP ${base32(user.totpSecret)}`;
    const line = `    ${user.username.padEnd(8)} ${user.password.padEnd(22)} ${user.roles.join(',').padEnd(8)} @${user.marketplace.padEnd(10)}${totp}`;
    lines.push(line.trimEnd());
  }
  return [...lines, ...firstRequest()];
}

/** Where the first request reads its credentials: the state directory's files, named as the reader sees them. */
export interface FirstRequestFiles {
  readonly ca: string;
  readonly backendSecret: string;
}

/**
 * A first request as MarketA's backend, shell lines to paste: a token of MarketA's realm, then an
 * escrow created, read back and found in search at MarketA's gateway. The README shows the same lines
 * with the state directory's relative paths (checked by a unit test).
 */
export function firstRequestLines(files: FirstRequestFiles): string[] {
  const gateway = gatewayUrl('MarketA');
  const curl = `curl -s --cacert ${files.ca}`;
  const escrow = JSON.stringify({
    escrowId: '$ESCROW',
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    feeBps: 250,
    items: [{ description: 'Camera', price: '12000' }],
    fundBy: '$(date -u -d +7days +%FT%TZ)',
    shipBy: '$(date -u -d +14days +%FT%TZ)',
    inspectionPeriodSeconds: 3600,
  }).replace(/"(\$[^"]*)"/g, '"\'"$1"\'"');
  const auth = '-H "Authorization: Bearer $TOKEN"';
  return [
    `TOKEN=$(${curl} ${realmUrlOf('MarketA')}/protocol/openid-connect/token -d grant_type=client_credentials \\`,
    `  -d client_id=marketa-backend --data-urlencode client_secret@${files.backendSecret} \\`,
    `  | node -p 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    'ESCROW=first-$(date +%s)',
    `${curl} ${gateway}/v1/escrows ${auth} -H "Idempotency-Key: $ESCROW" \\`,
    `  -H 'Content-Type: application/json' -d '${escrow}'`,
    `${curl} ${gateway}/v1/escrows/$ESCROW ${auth}`,
    `${curl} "${gateway}/v1/escrows?marketplace=MarketA&userId=alice&q=Camera" ${auth}`,
  ];
}

function firstRequest(): string[] {
  const files = { ca: serviceTlsCaFile, backendSecret: secretFile('keycloak-marketa-backend-secret') };
  return [
    `\n  first request (as MarketA's backend, at MarketA's gateway; API reference at ${gatewayUrl('MarketA')}/docs;`,
    '  search reads the projection, a moment behind the ledger; the SDK and `npm run example`: README.md)',
    ...firstRequestLines(files).map((line) => `    ${line}`),
  ];
}
