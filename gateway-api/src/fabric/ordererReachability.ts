// Whether each orderer answers a TLS handshake at the address the channel's configuration gives the
// peers, verified against its org's TLS CA from that configuration: what a peer operator needs to
// see first when blocks stop coming. It proves the orderer listens and holds a certificate its org
// issued; it needs no identity, so it is read the same whoever asks (the Raft state stays the
// orderer admins' own, behind their mutual-TLS admin port).
import * as grpc from '@grpc/grpc-js';
import type { OrdererEndpoint } from './channelMembers';

export interface OrdererReach {
  readonly mspId: string;
  readonly address: string;
  /** The handshake's time in milliseconds; null when it did not complete. */
  readonly handshakeMs: number | null;
  /** `ok`, or why the orderer could not be reached. */
  readonly detail: string;
}

/** How long one orderer is given to complete its handshake before it is reported unreachable. */
export const ORDERER_HANDSHAKE_TIMEOUT_MS = 2_000;

export async function reachOrderer(
  endpoint: OrdererEndpoint,
  timeoutMs = ORDERER_HANDSHAKE_TIMEOUT_MS,
): Promise<OrdererReach> {
  const started = performance.now();
  const report = (handshakeMs: number | null, detail: string): OrdererReach => ({
    mspId: endpoint.mspId,
    address: endpoint.address,
    handshakeMs,
    detail,
  });
  if (endpoint.tlsRootCertificates.length === 0)
    return report(null, 'the configuration holds no TLS CA certificate for its org');
  const client = new grpc.Client(
    endpoint.address,
    grpc.credentials.createSsl(Buffer.from(endpoint.tlsRootCertificates.join('\n'))),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + timeoutMs, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
    return report(Math.round(performance.now() - started), 'ok');
  } catch (error) {
    const state = grpc.connectivityState[client.getChannel().getConnectivityState(false)];
    const reason = error instanceof Error ? error.message : String(error);
    return report(null, `no TLS handshake within ${String(timeoutMs)} ms (${reason}; channel ${state})`);
  } finally {
    client.close();
  }
}
