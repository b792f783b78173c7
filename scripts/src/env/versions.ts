// Reads versions.conf, the one file that pins every version of the system.
import * as fs from 'node:fs';
import * as path from 'node:path';

const requiredKeys = [
  'FABRIC_VERSION',
  'FABRIC_MODULE_VERSION',
  'FABRIC_CA_VERSION',
  'POSTGRES_MAJOR',
  'REDIS_MAJOR',
  'KAFKA_VERSION',
  'KEYCLOAK_VERSION',
  'STRIPE_MOCK_VERSION',
  'SCHEMATHESIS_VERSION',
] as const;
export type Versions = Record<(typeof requiredKeys)[number], string> & Record<string, string>;

export function readVersions(root: string): Versions {
  const text = fs.readFileSync(path.join(root, 'versions.conf'), 'utf8');
  const entries: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) entries[match[1]] = match[2];
  }
  for (const key of requiredKeys) {
    if (entries[key] === undefined) throw new Error(`versions.conf has no ${key}`);
  }
  return entries as Versions;
}
