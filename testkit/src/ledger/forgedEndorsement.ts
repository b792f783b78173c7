// What a fully rogue org can do with its own peer: sign any simulation result it likes. This takes a
// genuine endorsement from the org's peer, swaps in a write set of the attacker's choosing, re-signs
// the response with the peer's own key and the envelope with the org's client identity, and submits
// it. Only the validation of the other peers (the endorsement policies) can stop it.
import { type Gateway, type Status } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { signingIdentityFromMsp } from '@p2p-escrow/fabric-client';
import { nodeDir, peerOrg } from '@p2p-escrow/scripts';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { escrowContract, orgOfIdentity } from './escrowLedger';
import { enrolledIdentity } from './gatewayConnection';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`transaction has no ${what}`);
  return value;
}

function peerSigner(orgName: string) {
  const org = peerOrg(orgName);
  return signingIdentityFromMsp(org.mspId, path.join(nodeDir(org.name, org.peer), 'msp')).signer;
}

export interface ForgedWrite {
  readonly key: string;
  readonly value: Uint8Array;
}

/**
 * Has `identityId`'s own peer endorse a harmless read (`transaction`), replaces the result's write
 * set of namespace `namespace` with `writes`, re-signs everything with the org's own keys, and
 * submits the forgery through `gateway` (connected as `identityId`). Returns the commit status.
 */
export async function submitForgedWrites(
  gateway: Gateway,
  identityId: string,
  transaction: { name: string; args: string[] },
  namespace: string,
  writes: readonly ForgedWrite[],
): Promise<Status> {
  const org = orgOfIdentity(identityId);
  const mspId = peerOrg(org).mspId;
  const genuine = await escrowContract(gateway)
    .newProposal(transaction.name, { arguments: transaction.args, endorsingOrganizations: [mspId] })
    .endorse();

  const prepared = gatewayProtos.PreparedTransaction.deserializeBinary(genuine.getBytes());
  const envelope = required(prepared.getEnvelope(), 'envelope');
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = required(tx.getActionsList()[0], 'action');
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = required(actionPayload.getAction(), 'endorsed action');
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(
    endorsed.getProposalResponsePayload_asU8(),
  );
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
  const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());

  const target = rwset.getNsRwsetList().find((ns) => ns.getNamespace() === namespace);
  if (target === undefined) throw new Error(`the genuine simulation did not touch ${namespace}`);
  const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(target.getRwset_asU8());
  kv.setWritesList(
    writes.map((write) => {
      const kvWrite = new ledger.rwset.kvrwset.KVWrite();
      kvWrite.setKey(write.key);
      kvWrite.setValue(write.value);
      return kvWrite;
    }),
  );
  target.setRwset(kv.serializeBinary());
  chaincodeAction.setResults(rwset.serializeBinary());
  // The proposal is unchanged, so the response still names its hash; only the result is forged.
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const responseBytes = responsePayload.serializeBinary();

  const endorsement = required(endorsed.getEndorsementsList()[0], 'endorsement');
  const signedBytes = Buffer.concat([responseBytes, endorsement.getEndorser_asU8()]);
  const signature = await peerSigner(org)(signedBytes);
  // The forgery must carry a valid signature of the peer, or the test would prove nothing.
  const endorser = msp.SerializedIdentity.deserializeBinary(endorsement.getEndorser_asU8());
  const endorserKey = new crypto.X509Certificate(Buffer.from(endorser.getIdBytes_asU8())).publicKey;
  if (!crypto.verify('sha256', signedBytes, endorserKey, signature)) {
    throw new Error('the forged endorsement does not verify against the peer certificate');
  }
  endorsement.setSignature(signature);
  endorsed.setProposalResponsePayload(responseBytes);
  endorsed.setEndorsementsList([endorsement]);
  actionPayload.setAction(endorsed);
  action.setPayload(actionPayload.serializeBinary());
  tx.setActionsList([action]);
  payload.setData(tx.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(new Uint8Array());
  prepared.setEnvelope(envelope);

  const clientSignature = await enrolledIdentity(org, identityId).signer(payloadBytes);
  const forged = gateway.newSignedTransaction(prepared.serializeBinary(), clientSignature);
  const submitted = await forged.submit();
  return submitted.getStatus();
}
