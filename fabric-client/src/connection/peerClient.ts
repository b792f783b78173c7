// One gRPC client per peer endpoint: TLS to the peer with its org's TLS root certificate.
import * as grpc from '@grpc/grpc-js';
import * as fs from 'node:fs';

/** Where a peer's gateway service listens and how its TLS certificate is checked. */
export interface PeerEndpoint {
  /** host:port of the peer's gateway service. */
  readonly address: string;
  /** The name the peer's TLS certificate carries (Node refuses an IP address as TLS server name). */
  readonly hostAlias: string;
  /** PEM file of the TLS root certificate the peer's certificate chains to. */
  readonly tlsRootCertPath: string;
}

export function newPeerClient(peer: PeerEndpoint): grpc.Client {
  const tls = grpc.credentials.createSsl(fs.readFileSync(peer.tlsRootCertPath));
  return new grpc.Client(peer.address, tls, {
    'grpc.ssl_target_name_override': peer.hostAlias,
    'grpc.keepalive_time_ms': 60_000,
  });
}

/** Resolves when the client's channel is connected, or rejects after `timeoutMs`. */
export function waitForPeer(client: grpc.Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/** The gRPC clients of a process, one per named peer, shared by every Gateway that goes through it. */
export class PeerClientPool {
  readonly #clients = new Map<string, grpc.Client>();

  constructor(private readonly peers: ReadonlyMap<string, PeerEndpoint>) {}

  names(): string[] {
    return [...this.peers.keys()];
  }

  clientFor(name: string): grpc.Client {
    let client = this.#clients.get(name);
    if (client === undefined) {
      const peer = this.peers.get(name);
      if (peer === undefined) throw new Error(`no peer configured for ${name}`);
      client = newPeerClient(peer);
      this.#clients.set(name, client);
    }
    return client;
  }

  waitForReady(name: string, timeoutMs: number): Promise<void> {
    return waitForPeer(this.clientFor(name), timeoutMs);
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
