// What `npm start` prints about the data and identity services: where each listens, how to connect,
// where the generated secrets are, and the realm's demo users (demo data from the realm file).
import * as path from 'node:path';
import { endpoint, portPlan } from '../env/portPlan';
import { secretsDir } from '../env/stateSecret';
import { base32, demoUsers } from './demoUsers';
import { kafkaBootstrap } from './kafka';
import { backendClients, keycloakAdminUser, keycloakUrl, realmUrl } from './keycloak';
import { postgresDatabases } from './postgres';
import { redisUrl } from './redis';

function secretFile(name: string): string {
  return path.join(secretsDir, name);
}

export function connectionGuide(): string[] {
  const postgres = endpoint(portPlan.postgres.listen);
  const lines = [
    ...postgresDatabases.map(
      (database) =>
        `  PostgreSQL     postgresql://${database}@${postgres}/${database}  (password in ${secretFile(`postgres-${database}-password`)})`,
    ),
    `  Redis          ${redisUrl}`,
    `  Kafka          bootstrap ${kafkaBootstrap}`,
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
  return lines;
}
