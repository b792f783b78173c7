// How every service reaches PostgreSQL: its own role's URL (P2P_DATABASE_URL) and the CA that signed
// the server's certificate (P2P_DATABASE_CA), always over TLS with the certificate and the host name
// checked (libpq's sslmode=verify-full). One helper, so no service can connect another way.
import * as fs from 'node:fs';
import { z } from 'zod';
import { setting } from '../config/environment';

/** The settings every PostgreSQL client reads. */
export const databaseSettings = z.object({
  P2P_DATABASE_URL: setting
    .url()
    // pg lets a URL's sslmode replace the TLS options below, so a URL may not choose its own.
    .refine(
      (url) => !URL.parse(url)?.searchParams.has('sslmode'),
      'must not set sslmode (TLS is always verified)',
    ),
  P2P_DATABASE_CA: setting.file(),
});

export interface DatabaseConnection {
  /** postgresql://role:password@host:port/database */
  readonly url: string;
  /** PEM file of the CA the server's certificate must chain to. */
  readonly caFile: string;
}

/** The subset of pg's PoolConfig this helper fills (fabric-client does not depend on pg). */
export interface DatabasePoolConfig {
  readonly connectionString: string;
  readonly ssl: { readonly ca: string; readonly rejectUnauthorized: true };
}

export function databaseConnectionOf(settings: z.output<typeof databaseSettings>): DatabaseConnection {
  return { url: settings.P2P_DATABASE_URL, caFile: settings.P2P_DATABASE_CA };
}

/**
 * The connection part of a pg pool's configuration: TLS only, the server's certificate verified
 * against `caFile` and its name against the URL's host (node's checkServerIdentity).
 */
export function databasePoolConfig(connection: DatabaseConnection): DatabasePoolConfig {
  return {
    connectionString: connection.url,
    ssl: { ca: fs.readFileSync(connection.caFile, 'utf8'), rejectUnauthorized: true },
  };
}
