// Proposals with a chosen timestamp, to prove endorsers refuse backdated or postdated transactions.
// fabric-gateway stamps every proposal with the client's clock, so this uses its offline-signing
// flow: build the proposal on a Gateway that has no signer, rewrite ChannelHeader.timestamp, then
// sign the new bytes. The transaction id hashes only the nonce and the creator, so it stays valid.
import {
  connect,
  type Gateway,
  type Proposal,
  type ProposalOptions,
  type Signer,
  type Status,
} from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, peer } from '@hyperledger/fabric-protos';
import { escrowContract, orgOfIdentity } from './escrowLedger';
import { enrolledIdentity, newOrgPeerClient } from './gatewayConnection';

/**
 * The google.protobuf.Timestamp methods used here. fabric-protos types it from google-protobuf,
 * whose typings the project does not install, so it is read through this narrow shape.
 */
interface ProtoTimestamp {
  getSeconds(): number;
  getNanos(): number;
  setSeconds(seconds: number): void;
  setNanos(nanos: number): void;
}

function timestampOf(channelHeader: common.ChannelHeader): ProtoTimestamp {
  const timestamp = channelHeader.getTimestamp() as unknown as ProtoTimestamp | undefined;
  return required(timestamp, 'timestamp');
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`proposal has no ${what}`);
  return value;
}

/** The timestamp in a ProposedTransaction's channel header, as epoch milliseconds. */
export function proposalTimestampMs(proposedTransactionBytes: Uint8Array): number {
  const signed = required(
    gatewayProtos.ProposedTransaction.deserializeBinary(proposedTransactionBytes).getProposal(),
    'signed proposal',
  );
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const timestamp = timestampOf(channelHeader);
  return timestamp.getSeconds() * 1000 + Math.floor(timestamp.getNanos() / 1_000_000);
}

/** Re-encodes an unsigned ProposedTransaction with its timestamp moved by `shiftMs`. */
export function restamp(proposedTransactionBytes: Uint8Array, shiftMs: number): Uint8Array {
  const proposed = gatewayProtos.ProposedTransaction.deserializeBinary(proposedTransactionBytes);
  const signed = required(proposed.getProposal(), 'signed proposal');
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const timestamp = timestampOf(channelHeader);
  const stampedMs = proposalTimestampMs(proposedTransactionBytes) + shiftMs;
  timestamp.setSeconds(Math.floor(stampedMs / 1000));
  timestamp.setNanos((stampedMs % 1000) * 1_000_000);
  // The Timestamp message is mutated in place, so the header already carries the new instant.
  header.setChannelHeader(channelHeader.serializeBinary());
  proposal.setHeader(header.serializeBinary());
  signed.setProposalBytes(proposal.serializeBinary());
  signed.setSignature(new Uint8Array());
  proposed.setProposal(signed);
  return proposed.serializeBinary();
}

export interface RestampedProposal {
  readonly proposal: Proposal;
  readonly transactionId: string;
  readonly timestampMs: number;
  /** Endorses, signs the transaction and the commit-status request offline, and waits for the commit. */
  submit(): Promise<Status>;
}

/** An offline-signing session for one enrolled identity on its own org's peer. */
export class OfflineSigner {
  readonly #gateway: Gateway;
  readonly #signer: Signer;
  readonly #close: () => void;

  constructor(identityId: string) {
    const org = orgOfIdentity(identityId);
    const { identity, hash, signer } = enrolledIdentity(org, identityId);
    const client = newOrgPeerClient(org);
    // No signer: every signature below is made explicitly over the bytes that are sent.
    this.#gateway = connect({ client, identity, hash });
    this.#signer = signer;
    this.#close = () => {
      this.#gateway.close();
      client.close();
    };
  }

  /** A signed proposal of `transaction` whose timestamp is the client clock moved by `shiftMs`. */
  async propose(transaction: string, options: ProposalOptions, shiftMs: number): Promise<RestampedProposal> {
    const unsigned = escrowContract(this.#gateway).newProposal(transaction, options);
    const bytes = restamp(unsigned.getBytes(), shiftMs);
    const signature = await this.#signer(this.#gateway.newProposal(bytes).getDigest());
    const proposal = this.#gateway.newSignedProposal(bytes, signature);
    return {
      proposal,
      transactionId: proposal.getTransactionId(),
      timestampMs: proposalTimestampMs(bytes),
      submit: async () => {
        const endorsed = await proposal.endorse();
        const signedTransaction = this.#gateway.newSignedTransaction(
          endorsed.getBytes(),
          await this.#signer(endorsed.getDigest()),
        );
        const submitted = await signedTransaction.submit();
        const commit = this.#gateway.newSignedCommit(
          submitted.getBytes(),
          await this.#signer(submitted.getDigest()),
        );
        return commit.getStatus();
      },
    };
  }

  close(): void {
    this.#close();
  }
}
