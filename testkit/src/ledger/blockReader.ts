// Committed blocks as a peer delivers them, and the parts of a transaction the private-data tests
// inspect: the raw block bytes, and the hashed writes to private collections.
import type { Gateway } from '@hyperledger/fabric-gateway';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { channelName } from '../network/topology';

async function firstDelivered<T>(events: AsyncIterable<T> & { close(): void }): Promise<T> {
  try {
    for await (const delivered of events) return delivered;
  } finally {
    events.close();
  }
  throw new Error('the peer closed the block stream');
}

/** Block `blockNumber` from `gateway`'s peer (it has committed it, so it is delivered at once). */
export async function blockAt(gateway: Gateway, blockNumber: bigint): Promise<common.Block> {
  return firstDelivered(await gateway.getNetwork(channelName).getBlockEvents({ startBlock: blockNumber }));
}

/** The block plus whatever private data of it the peer holds and the caller may see. */
export async function blockAndPrivateDataAt(
  gateway: Gateway,
  blockNumber: bigint,
): Promise<peer.BlockAndPrivateData> {
  const network = gateway.getNetwork(channelName);
  return firstDelivered(await network.getBlockAndPrivateDataEvents({ startBlock: blockNumber }));
}

export function containsText(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes).includes(Buffer.from(text, 'utf8'));
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`block has no ${what}`);
  return value;
}

/** The read-write set of transaction `transactionId` in `block`. */
export function readWriteSetOf(block: common.Block, transactionId: string): ledger.rwset.TxReadWriteSet {
  for (const envelopeBytes of required(block.getData(), 'data').getDataList_asU8()) {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
    );
    const header = required(payload.getHeader(), 'header');
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    if (channelHeader.getTxId() !== transactionId) continue;
    const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const action = required(transaction.getActionsList()[0], 'transaction action');
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const endorsed = required(actionPayload.getAction(), 'endorsed action');
    const responsePayload = peer.ProposalResponsePayload.deserializeBinary(
      endorsed.getProposalResponsePayload_asU8(),
    );
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
    return ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
  }
  throw new Error(`transaction ${transactionId} is not in block ${block.getHeader()?.getNumber() ?? '?'}`);
}

export interface HashedWrite {
  readonly namespace: string;
  readonly collection: string;
  readonly keyHash: string;
  readonly isDelete: boolean;
  readonly isPurge: boolean;
}

/** The writes a transaction made to private collections, as the block records them: hashes only. */
export function hashedPrivateWrites(rwset: ledger.rwset.TxReadWriteSet): HashedWrite[] {
  return rwset.getNsRwsetList().flatMap((namespace) =>
    namespace.getCollectionHashedRwsetList().flatMap((collection) =>
      ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(collection.getHashedRwset_asU8())
        .getHashedWritesList()
        .map((write) => ({
          namespace: namespace.getNamespace(),
          collection: collection.getCollectionName(),
          keyHash: Buffer.from(write.getKeyHash_asU8()).toString('hex'),
          isDelete: write.getIsDelete(),
          isPurge: write.getIsPurge(),
        })),
    ),
  );
}
