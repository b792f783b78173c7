// The HTTPS client of the local deployment's services (gateway, Keycloak, the Fabric operations
// endpoints): a fetch that trusts the one local CA and, for servers that authenticate their clients,
// presents a client certificate issued by it. Node's global fetch cannot be given a private CA.
import * as fs from 'node:fs';
import { Agent, fetch, type RequestInit, type Response } from 'undici';
import { serviceClientTls, serviceTlsCaFile } from './serviceTls';

/** The client identity the runner, the tests and the bench present to the Fabric operations endpoints. */
export const operationsClientIdentity = 'operations';

const agents = new Map<string, Agent>();

/** One connection pool per client identity; the CA is read on first use, once `npm start` made it. */
function agentFor(clientIdentity: string | undefined): Agent {
  const key = clientIdentity ?? '';
  const known = agents.get(key);
  if (known !== undefined) return known;
  const client = clientIdentity === undefined ? undefined : serviceClientTls(clientIdentity);
  const agent = new Agent({
    connect: {
      ca: fs.readFileSync(serviceTlsCaFile, 'utf8'),
      ...(client === undefined ? {} : { cert: client.certPem, key: client.keyPem }),
    },
  });
  agents.set(key, agent);
  return agent;
}

export interface LocalFetchOptions extends Omit<RequestInit, 'dispatcher'> {
  /** Present a client certificate of this identity (e.g. `operationsClientIdentity`). */
  readonly clientIdentity?: string;
}

/** fetch for the local services: https URLs are verified against the local CA only. */
export function localFetch(url: string, options: LocalFetchOptions = {}): Promise<Response> {
  const { clientIdentity, ...init } = options;
  if (!url.startsWith('https:')) return fetch(url, init);
  return fetch(url, { ...init, dispatcher: agentFor(clientIdentity) });
}
