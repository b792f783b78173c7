// Typed access to network/ports.json, the port plan every service binds to.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

export interface PortPlan {
  host: string;
  ca: Record<string, { listen: number; operations: number }>;
  orderer: Record<string, { listen: number; admin: number; operations: number }>;
  peer: Record<string, { listen: number; chaincodeListen: number; operations: number; profile: number }>;
  chaincodeServer: Record<string, { listen: number }>;
  postgres: { listen: number };
  redis: { listen: number };
  kafka: { listen: number; controller: number };
  keycloak: { https: number; management: number };
  /** One gateway per peer org. */
  gateway: Record<string, { https: number } | undefined>;
  /** The local payment provider (stripe-mock): Stripe's API over plain HTTP, loopback only. */
  stripeMock: { http: number };
  /** One payments service per marketplace: the provider's webhooks, HTTPS. */
  payments: Record<string, { https: number } | undefined>;
  /** One settlement worker per marketplace: its /healthz and /metrics. */
  settlement: Record<string, { ops: number } | undefined>;
  offchain: {
    mirrorOps: number;
    relayOps: number;
    notifierOps: number;
    keeperOps: number;
    alertingOps: number;
  };
  /** The risk service: its /healthz and /metrics. */
  risk: { ops: number };
  /** Each marketplace's own projection: its mirror's operations endpoint. */
  projection: Record<string, { mirrorOps: number } | undefined>;
}

/** P2P_HOST_ADDRESS is not an address a listener can bind. */
export class HostAddressError extends Error {
  readonly code = 'HOST_ADDRESS_INVALID';
  constructor(value: string) {
    super(`P2P_HOST_ADDRESS must be an IPv4 address or a host name, not ${value}`);
    this.name = 'HostAddressError';
  }
}

/**
 * The address this process's listeners bind and advertise: the plan's loopback for the local demo,
 * or P2P_HOST_ADDRESS when one org runs its nodes on its own host (`npm run operator -- org start`).
 */
export function hostAddress(planHost: string, env: NodeJS.ProcessEnv): string {
  const value = env['P2P_HOST_ADDRESS'];
  if (value === undefined || value === '') return planHost;
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(value)) throw new HostAddressError(value);
  return value;
}

const planFile = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'network', 'ports.json'), 'utf8'),
) as PortPlan;

export const portPlan: PortPlan = { ...planFile, host: hostAddress(planFile.host, process.env) };

export function endpoint(port: number): string {
  return `${portPlan.host}:${port}`;
}

export function portsOf<K extends string>(
  table: Record<string, Record<K, number>>,
  name: string,
): Record<K, number> {
  const entry = table[name];
  if (entry === undefined) throw new Error(`network/ports.json has no entry for ${name}`);
  return entry;
}
