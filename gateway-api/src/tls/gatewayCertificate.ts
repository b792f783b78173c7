// The gateway's HTTPS certificate, issued at every start from the CA in its TLS directory: for the
// loopback names, the host it binds and the names clients reach it by (P2P_GATEWAY_TLS_NAMES, e.g.
// its Kubernetes Service's), so a client checking the host name it dialled accepts it.
import { prepareServerTls, readServerTls, type LocalTls } from '@p2p-escrow/fabric-client';
import type { GatewayConfig } from '../config/gatewayConfig';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1'];

/** Every name the certificate of `config`'s gateway carries, in order, without repeats. */
export function gatewayCertificateNames(config: Pick<GatewayConfig, 'host' | 'tls'>): string[] {
  return [...new Set([...LOOPBACK_NAMES, config.host, ...(config.tls?.names ?? [])])];
}

/** Issues the gateway's certificate, or none when it serves plain HTTP (development only). */
export function prepareGatewayTls(
  config: Pick<GatewayConfig, 'host' | 'port' | 'tls'>,
): LocalTls | undefined {
  if (config.tls === null) return undefined;
  return prepareServerTls(config.tls.dir, gatewayCertificateNames(config), String(config.port));
}

/** The certificate `prepareGatewayTls` issued for `config`'s gateway, for its cluster workers to serve. */
export function issuedGatewayTls(config: Pick<GatewayConfig, 'port' | 'tls'>): LocalTls | undefined {
  if (config.tls === null) return undefined;
  return readServerTls(config.tls.dir, String(config.port));
}
