// One fabric-gateway Gateway per signing identity, kept in a bounded least-recently-used cache.
// Gateways share their org's gRPC client, so closing an evicted one closes no connection.
import { connect, type Gateway } from '@hyperledger/fabric-gateway';
import { nativeSigning } from '@p2p-escrow/scripts/dist/fabric/nativeSigning';
import * as crypto from 'node:crypto';
import type { GatewayConfig } from '../config/gatewayConfig';
import type { PeerClients } from './peerClients';

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

  constructor(
    private readonly peers: PeerClients,
    private readonly config: Pick<GatewayConfig, 'deadlinesMs' | 'gatewayCacheSize'>,
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
    const deadlines = this.config.deadlinesMs;
    const gateway = connect({
      client: this.peers.clientFor(caller.org),
      identity: {
        mspId: caller.credentials.mspId,
        credentials: Buffer.from(caller.credentials.certificatePem),
      },
      ...nativeSigning(crypto.createPrivateKey(caller.credentials.privateKeyPem)),
      evaluateOptions: () => ({ deadline: Date.now() + deadlines.evaluate }),
      endorseOptions: () => ({ deadline: Date.now() + deadlines.endorse }),
      submitOptions: () => ({ deadline: Date.now() + deadlines.submit }),
      commitStatusOptions: () => ({ deadline: Date.now() + deadlines.commitStatus }),
    });
    this.#gateways.set(key, gateway);
    while (this.#gateways.size > this.config.gatewayCacheSize) {
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
