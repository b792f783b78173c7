// How every daemon is configured: environment variables named P2P_<AREA>_<SETTING>, each daemon's
// loader a zod schema over them. A missing or malformed setting stops the daemon at start with one
// message naming every offending variable, never a failure deep inside a request.
import * as fs from 'node:fs';
import { z } from 'zod';
import type { PeerEndpoint } from '../connection/peerClient';

export type Env = Readonly<Record<string, string | undefined>>;

/** The daemon's configuration is incomplete or malformed. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** A value as it may be shown in an error: a URL's password (`//user:password@`) is masked. */
function withoutPassword(value: string): string {
  return value.replace(/\/\/([^:/@\s]*):[^@/\s]*@/, '//$1:***@');
}

/**
 * Parses `env` with `schema`; every problem names its variable. The values of `secretVariables` (and
 * any URL's password) are never shown.
 */
export function readEnvironment<T extends z.ZodType>(
  service: string,
  schema: T,
  env: Env,
  secretVariables: readonly string[] = [],
): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    service,
    result.error.issues.map((issue) => {
      const variable = issue.path.map(String).join('.');
      const given = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
      if (given === undefined)
        return issue.code === 'custom'
          ? `${variable} is not set (${issue.message})`
          : `${variable} is not set`;
      const shown = secretVariables.includes(variable) ? '<redacted>' : withoutPassword(given);
      return `${variable}=${JSON.stringify(shown)}: ${issue.message}`;
    }),
  );
}

/** Building blocks for the schemas, so every daemon reads a kind of setting the same way. */
export const setting = {
  text: () => z.string().min(1, 'must not be empty'),
  url: () => z.url('must be a URL'),
  port: () =>
    z.coerce
      .number('must be a port number')
      .int('must be a port number')
      .min(1, 'must be a port number from 1 to 65535')
      .max(65_535, 'must be a port number from 1 to 65535'),
  positive: () => z.coerce.number('must be a positive number').positive('must be a positive number'),
  list: () =>
    z
      .string()
      .min(1)
      .transform((value) => value.split(',').map((part) => part.trim()))
      .pipe(z.array(z.string().min(1, 'has an empty entry'))),
  flag: () => z.enum(['0', '1'], 'must be 0 or 1').transform((value) => value === '1'),
  /** A file the daemon must be able to read at start. */
  file: () =>
    z
      .string()
      .min(1)
      .refine((file) => {
        try {
          fs.accessSync(file, fs.constants.R_OK);
          return true;
        } catch {
          return false;
        }
      }, 'is not a readable file'),
};

/** One peer connection: P2P_FABRIC_PEER_ENDPOINT, _HOST_ALIAS (default localhost), _TLS_ROOT_CERT. */
export const peerSettings = z.object({
  P2P_FABRIC_PEER_ENDPOINT: setting.text(),
  P2P_FABRIC_PEER_HOST_ALIAS: setting.text().default('localhost'),
  P2P_FABRIC_PEER_TLS_ROOT_CERT: setting.file(),
});

export function peerEndpointOf(settings: z.output<typeof peerSettings>): PeerEndpoint {
  return {
    address: settings.P2P_FABRIC_PEER_ENDPOINT,
    hostAlias: settings.P2P_FABRIC_PEER_HOST_ALIAS,
    tlsRootCertPath: settings.P2P_FABRIC_PEER_TLS_ROOT_CERT,
  };
}

/** The daemon's own signing identity: P2P_FABRIC_MSP_ID, P2P_FABRIC_CERT, P2P_FABRIC_KEY. */
export const identitySettings = z.object({
  P2P_FABRIC_MSP_ID: setting.text(),
  P2P_FABRIC_CERT: setting.file(),
  P2P_FABRIC_KEY: setting.file(),
});

/** Which chaincode on which channel: P2P_FABRIC_CHANNEL, P2P_FABRIC_CHAINCODE. */
export const chaincodeSettings = z.object({
  P2P_FABRIC_CHANNEL: setting.text().default('marketplace'),
  P2P_FABRIC_CHAINCODE: setting.text().default('escrow'),
});

/** A daemon's own way onto the ledger: one peer, its own signing identity, the channel and chaincode. */
export interface LedgerClientConfig {
  readonly peer: PeerEndpoint;
  readonly mspId: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly channel: string;
  readonly chaincode: string;
}

/** The settings behind a LedgerClientConfig: the peer's, the identity's and the chaincode's. */
export const ledgerClientSettings = peerSettings
  .extend(identitySettings.shape)
  .extend(chaincodeSettings.shape);

export function ledgerClientOf(settings: z.output<typeof ledgerClientSettings>): LedgerClientConfig {
  return {
    peer: peerEndpointOf(settings),
    mspId: settings.P2P_FABRIC_MSP_ID,
    certPath: settings.P2P_FABRIC_CERT,
    keyPath: settings.P2P_FABRIC_KEY,
    channel: settings.P2P_FABRIC_CHANNEL,
    chaincode: settings.P2P_FABRIC_CHAINCODE,
  };
}
