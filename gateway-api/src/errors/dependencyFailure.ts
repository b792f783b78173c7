// Recognises a dependency that could not be reached (PostgreSQL, Redis, Keycloak, the org's Fabric
// CA) in an error a store or client let through, so the caller gets 503 DEPENDENCY_UNAVAILABLE
// naming it, with Retry-After, instead of 500: the request was fine, the dependency was away. pg reports a lost
// server as a DatabaseError with a connection SQLSTATE, as a client error by message, or as a socket
// error carrying the port it dialled; the port says whose it was.
import { DatabaseError } from 'pg';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, UpstreamUnavailableError } from './apiError';

/** The services the gateway depends on besides the Fabric peers (whose errors ledgerErrors.ts maps). */
export type Dependency = 'postgres' | 'redis' | 'keycloak' | 'fabric-ca';

/** Where a dependency listens: a socket error naming this port is that dependency's. */
export interface DependencyEndpoint {
  readonly dependency: Dependency;
  readonly port: number;
}

export class DependencyUnavailableError extends UpstreamUnavailableError {
  constructor(
    readonly dependency: Dependency,
    retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS,
  ) {
    super(
      'DEPENDENCY_UNAVAILABLE',
      `${dependency} is unavailable; retry after ${retryAfterSeconds}s`,
      { dependency },
      retryAfterSeconds,
    );
  }
}

// Class 08 (connection exception), 57P01-57P03 (the server shutting down or starting), 53300 (no slot).
const LOST_SERVER_STATES = /^(08...|57P0[123]|53300)$/;
const POOL_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
];
export const SOCKET_FAILURES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface SocketError {
  readonly code?: unknown;
  readonly port?: unknown;
}

/** The dependency whose absence `error` reports, if it reports one. */
export function unavailableDependency(
  error: unknown,
  endpoints: readonly DependencyEndpoint[],
): Dependency | undefined {
  if (error instanceof DatabaseError)
    return LOST_SERVER_STATES.test(error.code ?? '') ? 'postgres' : undefined;
  if (!(error instanceof Error)) return undefined;
  if (POOL_CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message))) return 'postgres';
  const { code, port } = error as SocketError;
  if (typeof code !== 'string' || !SOCKET_FAILURES.has(code)) return undefined;
  return endpoints.find((endpoint) => endpoint.port === port)?.dependency;
}

/** `error` as a 503 naming the missing dependency, or undefined when it reports none. */
export function dependencyFailure(
  error: unknown,
  endpoints: readonly DependencyEndpoint[],
): DependencyUnavailableError | undefined {
  const dependency = unavailableDependency(error, endpoints);
  return dependency === undefined ? undefined : new DependencyUnavailableError(dependency);
}

/** The port of a service URL (postgresql://, redis://, https://), defaulting by scheme. */
export function portOfUrl(url: string): number {
  const parsed = new URL(url);
  if (parsed.port !== '') return Number(parsed.port);
  const defaults: Record<string, number> = {
    'postgresql:': 5432,
    'postgres:': 5432,
    'redis:': 6379,
    'https:': 443,
  };
  return defaults[parsed.protocol] ?? 80;
}
