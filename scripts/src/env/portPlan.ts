// Typed access to network/ports.json, the port plan every service binds to.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

export interface PortPlan {
  host: string;
  ca: Record<string, { listen: number; operations: number }>;
  orderer: Record<string, { listen: number; admin: number; operations: number }>;
  peer: Record<string, { listen: number; chaincodeListen: number; operations: number }>;
  chaincodeServer: Record<string, { listen: number }>;
  postgres: { listen: number };
  redis: { listen: number };
  kafka: { listen: number; controller: number };
  keycloak: { https: number; management: number };
  /** One gateway per peer org. */
  gateway: Record<string, { https: number } | undefined>;
  /** The local payment provider (stripe-mock): Stripe's API over plain HTTP, loopback only. */
  stripeMock: { http: number };
  offchain: { mirrorOps: number; relayOps: number; notifierOps: number; keeperOps: number };
}

export const portPlan = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'network', 'ports.json'), 'utf8'),
) as PortPlan;

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
