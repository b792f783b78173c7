// The one Fabric connection recipe: a fabric-gateway Gateway for one signing identity over a shared
// gRPC client, with the deadlines of every call type set from one CallDeadlines.
import type * as grpc from '@grpc/grpc-js';
import { connect, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { DEFAULT_CALL_DEADLINES, type CallDeadlines } from './callDeadlines';
import { newPeerClient, type PeerEndpoint } from './peerClient';
import type { SigningIdentity } from '../signing/signingIdentity';

/** A Gateway over `client` (which the caller owns and closes) signing as `signer`. */
export function connectGateway(
  client: grpc.Client,
  signer: SigningIdentity,
  deadlines: CallDeadlines = DEFAULT_CALL_DEADLINES,
): Gateway {
  return connect({
    client,
    ...signer,
    evaluateOptions: () => ({ deadline: Date.now() + deadlines.evaluateMs }),
    endorseOptions: () => ({ deadline: Date.now() + deadlines.endorseMs }),
    submitOptions: () => ({ deadline: Date.now() + deadlines.submitMs }),
    commitStatusOptions: () => ({ deadline: Date.now() + deadlines.commitStatusMs }),
  });
}

/** A process's single connection: its own gRPC client to one peer and one Gateway, closed together. */
export class FabricConnection {
  readonly gateway: Gateway;
  readonly #client: grpc.Client;

  constructor(
    peer: PeerEndpoint,
    signer: SigningIdentity,
    deadlines: CallDeadlines = DEFAULT_CALL_DEADLINES,
  ) {
    this.#client = newPeerClient(peer);
    this.gateway = connectGateway(this.#client, signer, deadlines);
  }

  network(channel: string): Network {
    return this.gateway.getNetwork(channel);
  }

  close(): void {
    this.gateway.close();
    this.#client.close();
  }
}
