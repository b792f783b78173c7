// What `npm start` prints about the data and identity services: where each listens, how to connect,
// where the generated secrets are, and the realm's demo users with their generated credentials.
import * as path from 'node:path';
import { endpoint, portPlan } from '../env/portPlan';
import { secretsDir } from '../env/stateSecret';
import { base32, demoUsers } from './demoUsers';
import { kafkaBootstrap } from './kafka';
import { backendClients, keycloakAdminUser, keycloakUrl, realmUrl } from './keycloak';
import { escrowServiceRole, escrowServices, postgresCaFile, postgresDatabases } from './postgres';
import { redisAddress, redisUsers } from './redis';
import { serviceTlsCaFile } from './serviceTls';
import { gatewayUrl } from '../gateway/gatewayDaemon';

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
    ...Object.keys(redisUsers).map(
      (user) =>
        `  Redis          ${redisAddress}  ACL user ${user} (password in ${secretFile(`redis-${user}-password`)}); the default user is off`,
    ),
    `  Kafka          bootstrap ${kafkaBootstrap}  (SASL_SSL, SCRAM-SHA-512; CA ${serviceTlsCaFile}; user reader, password in ${secretFile('kafka-reader-password')})`,
    `  TLS            every TLS service's certificate comes from the local CA ${serviceTlsCaFile}`,
    `  Keycloak       realm ${realmUrl}  (OIDC discovery: ${realmUrl}/.well-known/openid-configuration)`,
    `                 admin console ${keycloakUrl}/admin/  user ${keycloakAdminUser}, password in ${secretFile('keycloak-admin-password')}`,
    ...backendClients.map(
      (clientId) =>
        `                 client ${clientId} (client credentials), secret in ${secretFile(`keycloak-${clientId}-secret`)}`,
    ),
    '\n  demo users (client escrow-web, password grant; TOTP secrets in base32 for an authenticator app)',
  ];
  for (const user of demoUsers()) {
    const totp = user.totpSecret === undefined ? '' : `  TOTP ${base32(user.totpSecret)}`;
    const line = `    ${user.username.padEnd(8)} ${user.password.padEnd(22)} ${user.roles.join(',').padEnd(8)} @${user.marketplace.padEnd(10)}${totp}`;
    lines.push(line.trimEnd());
  }
  return [...lines, ...firstRequest()];
}

/** A first request as MarketA's backend: a token by client credentials, then an escrow created and read. */
function firstRequest(): string[] {
  const secret = secretFile('keycloak-marketa-backend-secret');
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const escrow = JSON.stringify({
    escrowId: 'first-escrow',
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    feeBps: 250,
    items: [{ description: 'Camera', price: '12000' }],
    fundBy: `${day(7)}T00:00:00Z`,
    shipBy: `${day(14)}T00:00:00Z`,
    inspectionPeriodSeconds: 3600,
  });
  const curl = `curl -s --cacert ${serviceTlsCaFile}`;
  return [
    `\n  first request (as MarketA's backend; API reference at ${gatewayUrl()}/docs)`,
    `    TOKEN=$(${curl} ${realmUrl}/protocol/openid-connect/token -d grant_type=client_credentials \\`,
    `      -d client_id=marketa-backend --data-urlencode client_secret=$(cat ${secret}) \\`,
    `      | node -p 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `    ${curl} ${gatewayUrl()}/v1/escrows -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: $(node -p 'crypto.randomUUID()')" \\`,
    `      -H 'Content-Type: application/json' -d '${escrow}'`,
    `    ${curl} ${gatewayUrl()}/v1/escrows/first-escrow -H "Authorization: Bearer $TOKEN"`,
  ];
}
