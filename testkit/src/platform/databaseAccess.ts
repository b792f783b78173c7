// Test support for the database's trust boundary: a client of the escrow database signed in as one
// service's role (through the same verified-TLS helper the services use), and raw connection
// attempts that a TLS-only PostgreSQL must refuse.
import { databasePoolConfig } from '@p2p-escrow/fabric-client';
import {
  escrowServiceUrl,
  gatewayDatabaseUrl,
  paymentsDatabaseUrl,
  portPlan,
  postgresCaFile,
  postgresUrl,
  type EscrowService,
} from '@p2p-escrow/scripts';
import * as fs from 'node:fs';
import { Client, type ClientConfig } from 'pg';

/**
 * Who signs in: a service's own role, an org's gateway's (`gateway:MarketA`), a marketplace's payment
 * services' (`payments:MarketA`), or the owner role `escrow` that runs the migrations.
 */
export type EscrowDatabaseRole = EscrowService | 'owner' | `gateway:${string}` | `payments:${string}`;

function urlOf(role: EscrowDatabaseRole): string {
  if (role === 'owner') return postgresUrl('escrow');
  if (role.startsWith('gateway:')) return gatewayDatabaseUrl(role.slice('gateway:'.length));
  if (role.startsWith('payments:')) return paymentsDatabaseUrl(role.slice('payments:'.length));
  return escrowServiceUrl(role as EscrowService);
}

async function connected(config: ClientConfig): Promise<Client> {
  const client = new Client({ ...config, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** A client of the escrow database as `role`, over TLS verified against the deployment's CA. */
export function escrowDatabaseAs(role: EscrowDatabaseRole): Promise<Client> {
  return connected({ ...databasePoolConfig({ url: urlOf(role), caFile: postgresCaFile }) });
}

/**
 * The error PostgreSQL (or TLS) answers a connection attempt of `role` to `database` with: `tls:
 * 'none'` for plaintext, a PEM for a client that trusts another CA, 'verified' as the services
 * connect. Undefined when the connection succeeded.
 */
export async function postgresConnectionError(
  role: EscrowDatabaseRole,
  tls: 'none' | 'verified' | { readonly caPem: string },
  database = 'escrow',
): Promise<Error | undefined> {
  const caPem =
    tls === 'verified' ? fs.readFileSync(postgresCaFile, 'utf8') : tls === 'none' ? undefined : tls.caPem;
  const url = new URL(urlOf(role));
  url.pathname = `/${database}`;
  try {
    const client = await connected({
      connectionString: url.toString(),
      ssl: caPem === undefined ? false : { ca: caPem, rejectUnauthorized: true },
    });
    await client.end();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Where PostgreSQL listens, for messages. */
export const postgresEndpoint = `${portPlan.host}:${String(portPlan.postgres.listen)}`;
