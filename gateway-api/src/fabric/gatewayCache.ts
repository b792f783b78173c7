// One fabric-gateway Gateway per signing identity, kept in a bounded least-recently-used cache, each
// made by fabric-client's one connection recipe. Gateways share their org's gRPC client from the pool,
// so closing an evicted one closes no connection.
import type { Gateway } from '@hyperledger/fabric-gateway';
import {
  connectGateway,
  signingIdentity,
  type CallDeadlines,
  type PeerClientPool,
} from '@p2p-escrow/fabric-client';
import * as crypto from 'node:crypto';

/** What signs a proposal: an enrolled certificate and its private key (PEM), never logged. */
export interface SigningCredentials {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Who submits: the org whose peer the gateway goes through, and that org's signing identity. */
export interface LedgerCaller {
  readonly org: string;
  /** Stable name of the identity, e.g. `MarketA/alice/buyer`. */
  readonly identityKey: string;
  readonly credentials: SigningCredentials;
}

export class GatewayCache {
  readonly #gateways = new Map<string, Gateway>();

  /** `peers` holds one client per org name; at most `capacity` Gateways stay open. */
  constructor(
    private readonly peers: PeerClientPool,
    private readonly deadlines: CallDeadlines,
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.#gateways.size;
  }

  gatewayFor(caller: LedgerCaller): Gateway {
    const fingerprint = crypto.createHash('sha256').update(caller.credentials.certificatePem).digest('hex');
    const key = `${caller.org}|${caller.identityKey}|${fingerprint}`;
    const cached = this.#gateways.get(key);
    if (cached !== undefined) {
      // Re-insert to mark as most recently used.
      this.#gateways.delete(key);
      this.#gateways.set(key, cached);
      return cached;
    }
    const { mspId, certificatePem, privateKeyPem } = caller.credentials;
    const gateway = connectGateway(
      this.peers.clientFor(caller.org),
      signingIdentity(mspId, certificatePem, privateKeyPem),
      this.deadlines,
    );
    this.#gateways.set(key, gateway);
    while (this.#gateways.size > this.capacity) {
      const oldest = this.#gateways.keys().next().value;
      if (oldest === undefined) break;
      this.#gateways.get(oldest)?.close();
      this.#gateways.delete(oldest);
    }
    return gateway;
  }

  close(): void {
    for (const gateway of this.#gateways.values()) gateway.close();
    this.#gateways.clear();
  }
}
