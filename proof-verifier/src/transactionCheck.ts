// One transition's transaction, checked from its envelope alone: the creator's signature over the
// payload, the transaction id as the hash of nonce and creator, each endorser's signature over the
// proposal response and its identity, and what the chaincode wrote to the escrow's key (its record
// and any new key-level endorsement policy).
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import * as kvrwset from '@hyperledger/fabric-protos/lib/ledger/rwset/kvrwset/kv_rwset_pb';
import * as rwset from '@hyperledger/fabric-protos/lib/ledger/rwset/rwset_pb';
import * as proposal from '@hyperledger/fabric-protos/lib/peer/proposal_pb';
import * as proposalResponse from '@hyperledger/fabric-protos/lib/peer/proposal_response_pb';
import * as peer from '@hyperledger/fabric-protos/lib/peer/transaction_pb';
import { bytesToHex, concatBytes } from './bytes';
import { sha256 } from './blockHashing';
import { verifySignature, type Signer } from './identitySignature';
import { decoded, ProofError } from './proofErrors';
import type { ProofTrust } from './proofTrust';

/** The metadata entry under which Fabric keeps a key's state-based endorsement policy. */
const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

export interface CheckedTransaction {
  readonly txId: string;
  readonly timestamp: Date;
  readonly creator: Signer;
  readonly endorsers: readonly Signer[];
  /** The value written to the key; null when the transaction deleted it. */
  readonly written: Uint8Array | null;
  /** The key-level policy the transaction set on the key: bytes, null when it removed it, or unchanged. */
  readonly policyWrite: Uint8Array | null | 'unchanged';
}

export interface TransactionContext {
  readonly trust: ProofTrust;
  readonly channel: string;
  readonly chaincode: string;
  /** The escrow's public key in the chaincode's namespace. */
  readonly key: string;
}

/** The envelope's channel header, for finding a transaction in its block. */
export function channelHeaderOf(envelope: Uint8Array, what: string): common.ChannelHeader {
  return decoded(what, () => {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(envelope).getPayload_asU8(),
    );
    return common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
  });
}

function timestampOf(header: common.ChannelHeader): Date {
  const stamp = header.getTimestamp();
  return new Date((stamp?.getSeconds() ?? 0) * 1000 + Math.floor((stamp?.getNanos() ?? 0) / 1e6));
}

export function checkTransaction(
  context: TransactionContext,
  envelopeBytes: Uint8Array,
  txId: string,
): CheckedTransaction {
  const what = `transaction ${txId}`;
  const envelope = decoded(what, () => common.Envelope.deserializeBinary(envelopeBytes));
  const payloadBytes = envelope.getPayload_asU8();
  const payload = decoded(what, () => common.Payload.deserializeBinary(payloadBytes));
  const channelHeader = channelHeaderOf(envelopeBytes, what);
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION)
    throw new ProofError('PROOF_TRANSACTION_INVALID', `${what} is not an endorser transaction`);
  if (channelHeader.getChannelId() !== context.channel)
    throw new ProofError(
      'PROOF_TRANSACTION_INVALID',
      `${what} is on channel ${channelHeader.getChannelId()}`,
    );
  if (channelHeader.getTxId() !== txId)
    throw new ProofError(
      'PROOF_TRANSACTION_MISMATCH',
      `${what}: the envelope names ${channelHeader.getTxId()}`,
    );
  const signatureHeader = decoded(what, () =>
    common.SignatureHeader.deserializeBinary(
      payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
    ),
  );
  const creatorBytes = signatureHeader.getCreator_asU8();
  const expectedId = bytesToHex(sha256(concatBytes(signatureHeader.getNonce_asU8(), creatorBytes)));
  if (expectedId !== txId)
    throw new ProofError('PROOF_TRANSACTION_MISMATCH', `${what} is not the hash of its nonce and creator`);
  const timestamp = timestampOf(channelHeader);
  const creator = verifySignature(
    context.trust,
    creatorBytes,
    payloadBytes,
    envelope.getSignature_asU8(),
    timestamp,
    `${what}'s creator`,
  );
  const endorsed = endorsedActionOf(payload, what);
  const responseBytes = endorsed.getProposalResponsePayload_asU8();
  const endorsers = distinct(
    endorsed
      .getEndorsementsList()
      .map((endorsement, index) =>
        verifySignature(
          context.trust,
          endorsement.getEndorser_asU8(),
          concatBytes(responseBytes, endorsement.getEndorser_asU8()),
          endorsement.getSignature_asU8(),
          timestamp,
          `${what}'s endorsement ${String(index + 1)}`,
        ),
      ),
  );
  const action = decoded(what, () =>
    proposal.ChaincodeAction.deserializeBinary(
      proposalResponse.ProposalResponsePayload.deserializeBinary(responseBytes).getExtension_asU8(),
    ),
  );
  if (action.getChaincodeId()?.getName() !== context.chaincode)
    throw new ProofError(
      'PROOF_TRANSACTION_INVALID',
      `${what} did not invoke chaincode ${context.chaincode}`,
    );
  if (action.getResponse()?.getStatus() !== 200)
    throw new ProofError('PROOF_TRANSACTION_INVALID', `${what}: the chaincode did not answer 200`);
  return { txId, timestamp, creator, endorsers, ...keyWritesOf(context, action, what) };
}

function endorsedActionOf(payload: common.Payload, what: string): peer.ChaincodeEndorsedAction {
  return decoded(what, () => {
    const actions = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList();
    const only = actions[0];
    if (actions.length !== 1 || only === undefined)
      throw new Error('an endorser transaction has exactly one action');
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(only.getPayload_asU8()).getAction();
    if (endorsed === undefined) throw new Error('the action carries no endorsed action');
    return endorsed;
  });
}

/** One identity endorsing twice counts once, as in Fabric's policy evaluation. */
function distinct(signers: Signer[]): Signer[] {
  const seen = new Set<string>();
  return signers.filter((signer) => {
    const id = `${signer.mspId}/${signer.certificate.fingerprint256}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function keyWritesOf(
  context: TransactionContext,
  action: proposal.ChaincodeAction,
  what: string,
): Pick<CheckedTransaction, 'written' | 'policyWrite'> {
  const namespaces = decoded(what, () =>
    rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8()).getNsRwsetList(),
  );
  const own = namespaces.find((set) => set.getNamespace() === context.chaincode);
  const kv = decoded(what, () => kvrwset.KVRWSet.deserializeBinary(own?.getRwset_asU8() ?? new Uint8Array()));
  const writes = kv.getWritesList().filter((write) => write.getKey() === context.key);
  const write = writes[0];
  if (writes.length !== 1 || write === undefined)
    throw new ProofError('PROOF_STATE_MISMATCH', `${what} did not write the escrow's key once`);
  const metadata = kv.getMetadataWritesList().filter((entry) => entry.getKey() === context.key);
  let policyWrite: CheckedTransaction['policyWrite'] = 'unchanged';
  for (const entry of metadata) {
    const parameter = entry.getEntriesList().find((item) => item.getName() === VALIDATION_PARAMETER);
    policyWrite = parameter === undefined ? null : parameter.getValue_asU8();
  }
  return { written: write.getIsDelete() ? null : write.getValue_asU8(), policyWrite };
}
