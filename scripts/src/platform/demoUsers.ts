// The demo users of the realm file (network/keycloak/). The file holds their names, roles and
// marketplaces; their passwords and TOTP secrets are placeholders (`${P2P_DEMO_<USER>_PASSWORD}`,
// `${P2P_DEMO_<USER>_TOTP_SECRET}`) that Keycloak fills at import from secrets generated under the state
// directory, printed by `npm start` and used by the tests to log in. No credential is committed.
import * as fs from 'node:fs';
import { namedSecret } from '../env/stateSecret';
import { realmFile } from './realm';

export interface DemoUser {
  username: string;
  password: string;
  roles: string[];
  marketplace: string;
  /** The TOTP key bytes (Keycloak keeps the secret as text and uses its UTF-8 bytes as the HMAC key). */
  totpSecret?: Buffer;
}

function field(record: unknown, key: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[key] : undefined;
}

function text(record: unknown, key: string): string {
  const value = field(record, key);
  if (typeof value !== 'string') throw new Error(`realm file: expected a string at ${key}`);
  return value;
}

function list(record: unknown, key: string): unknown[] {
  const value = field(record, key);
  return Array.isArray(value) ? (value as unknown[]) : [];
}

const PLACEHOLDER = /^\$\{(P2P_DEMO_([A-Z0-9]+)_(PASSWORD|TOTP_SECRET))\}$/;

/** The generated value behind a credential placeholder of the realm file. */
function generated(placeholder: string): string {
  const match = PLACEHOLDER.exec(placeholder);
  if (match?.[2] === undefined || match[3] === undefined)
    throw new Error(`realm file: a demo credential must be a \${P2P_DEMO_<USER>_…} placeholder, not a value`);
  return namedSecret(
    `demo-${match[2].toLowerCase()}-${match[3] === 'PASSWORD' ? 'password' : 'totp-secret'}`,
  );
}

/** Every credential placeholder of the realm file with its generated value, for Keycloak's environment. */
export function demoCredentialEnv(): Record<string, string> {
  const placeholders = fs.readFileSync(realmFile, 'utf8').match(/\$\{P2P_DEMO_[A-Z0-9_]+\}/g) ?? [];
  return Object.fromEntries(
    placeholders.map((placeholder) => [placeholder.slice(2, -1), generated(placeholder)]),
  );
}

function demoUserFrom(user: unknown): DemoUser {
  const credentials = list(user, 'credentials');
  const password = credentials.find((credential) => field(credential, 'type') === 'password');
  const otp = credentials.find((credential) => field(credential, 'type') === 'otp');
  const marketplace = list(field(user, 'attributes'), 'marketplace')[0];
  return {
    username: text(user, 'username'),
    password: generated(text(password, 'value')),
    roles: list(user, 'realmRoles').filter((role): role is string => typeof role === 'string'),
    marketplace: typeof marketplace === 'string' ? marketplace : '',
    totpSecret:
      otp === undefined
        ? undefined
        : Buffer.from(generated(text(JSON.parse(text(otp, 'secretData')) as unknown, 'value')), 'utf8'),
  };
}

export function demoUsers(): DemoUser[] {
  const realm = JSON.parse(fs.readFileSync(realmFile, 'utf8')) as unknown;
  return list(realm, 'users')
    .filter((user) => field(user, 'serviceAccountClientId') === undefined)
    .map(demoUserFrom);
}

export function demoUser(username: string): DemoUser {
  const user = demoUsers().find((candidate) => candidate.username === username);
  if (user === undefined) throw new Error(`no demo user ${username} in ${realmFile}`);
  return user;
}

/** Base32 (RFC 4648, no padding), the form authenticator apps take a secret in. */
export function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5)
    out += alphabet.charAt(parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2));
  return out;
}
