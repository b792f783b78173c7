// The orgs that endorsed a transaction, read in the browser from the envelopes of the audit proof
// (GET /v1/escrows/{id}/proof): each endorsement names its endorser's serialized identity, whose
// MSP ID is the org. This only reads the bundle, so a row names its orgs even when the proof does not
// verify; proofMarks.ts says whether it does.
// The message modules alone: the package's index also loads its gRPC services, which need Node.
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import * as msp from '@hyperledger/fabric-protos/lib/msp/identities_pb';
import * as peer from '@hyperledger/fabric-protos/lib/peer/transaction_pb';

function bytesOfBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** The endorsing MSP IDs of one envelope, by its transaction id; empty for a config transaction. */
export function endorsementsOf(envelopeBase64: string): { txId: string; mspIds: string[] } {
  const envelope = common.Envelope.deserializeBinary(bytesOfBase64(envelopeBase64));
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(
    header?.getChannelHeader_asU8() ?? new Uint8Array(),
  );
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION)
    return { txId: channelHeader.getTxId(), mspIds: [] };
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const mspIds = new Set<string>();
  for (const action of transaction.getActionsList()) {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    for (const endorsement of actionPayload.getAction()?.getEndorsementsList() ?? [])
      mspIds.add(msp.SerializedIdentity.deserializeBinary(endorsement.getEndorser_asU8()).getMspid());
  }
  return { txId: channelHeader.getTxId(), mspIds: [...mspIds].sort() };
}

/** Every endorser transaction's endorsing orgs in the proof's blocks, by transaction id. */
export function endorsingOrgsByTransaction(
  blocks: readonly { envelopes: readonly string[] }[],
): Map<string, string[]> {
  const byTx = new Map<string, string[]>();
  for (const block of blocks)
    for (const envelope of block.envelopes) {
      const { txId, mspIds } = endorsementsOf(envelope);
      if (mspIds.length > 0) byTx.set(txId, mspIds);
    }
  return byTx;
}
