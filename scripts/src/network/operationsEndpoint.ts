// The Fabric nodes' operations endpoints (/healthz, /metrics, /logspec): HTTPS with a certificate of
// the local CA, and a client certificate of the same CA asked of every caller (nodeConfig.ts).
import { endpoint } from '../env/portPlan';
import { localFetch, operationsClientIdentity, type LocalFetchOptions } from '../platform/localHttps';
import type { HealthCheck } from '../runner/serviceSpec';

export function operationsUrl(port: number, route: string): string {
  return `https://${endpoint(port)}${route}`;
}

/** A request to a node's operations endpoint, presenting the operations client certificate. */
export function fetchOperations(port: number, route: string, options: LocalFetchOptions = {}) {
  return localFetch(operationsUrl(port, route), { ...options, clientIdentity: operationsClientIdentity });
}

/** A node's /healthz, for the runner. */
export function operationsHealth(port: number): HealthCheck {
  return { kind: 'http', url: operationsUrl(port, '/healthz'), clientIdentity: operationsClientIdentity };
}
