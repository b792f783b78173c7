// The local deployment's one TLS authority: every service that speaks TLS (gateway, Keycloak,
// PostgreSQL, Kafka, the Fabric operations endpoints) gets its certificate from the CA kept in
// `<state>/tls`, so a client needs to trust exactly one file. Made at start, never committed.
import { prepareClientTls, prepareServerTls, type LocalTls } from '@p2p-escrow/fabric-client';
import * as path from 'node:path';
import { stateDir } from '../env/paths';

export const serviceTlsDir = path.join(stateDir, 'tls');
/** The CA every local TLS client trusts. */
export const serviceTlsCaFile = path.join(serviceTlsDir, 'ca', 'ca.pem');

/** The loopback names every local server certificate carries. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1'];

/** A fresh server certificate for `service`, valid for the loopback names and `extraHosts`. */
export function serviceServerTls(service: string, extraHosts: readonly string[] = []): LocalTls {
  return prepareServerTls(serviceTlsDir, [...new Set([...LOOPBACK_NAMES, ...extraHosts])], service);
}

/** A fresh client certificate whose subject is `identity`, for servers that authenticate clients. */
export function serviceClientTls(identity: string): LocalTls {
  return prepareClientTls(serviceTlsDir, identity, identity);
}
