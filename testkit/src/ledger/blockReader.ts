// Committed blocks as a peer delivers them, and the parts of a transaction the private-data tests
// inspect: the raw block bytes, and the hashed writes to private collections (read through the one
// block parser of @p2p-escrow/fabric-client).
import type { Gateway } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import {
  parseBlock,
  parseBlockAndPrivateData,
  type HashedPrivateWrite,
  type PrivateWrite,
} from '@p2p-escrow/fabric-client';

export type { PrivateWrite } from '@p2p-escrow/fabric-client';
import { channelName } from '@p2p-escrow/scripts';

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

export interface HashedWrite extends HashedPrivateWrite {
  readonly namespace: string;
}

/** The writes transaction `transactionId` of `block` made to private collections: hashes only. */
export function hashedPrivateWritesOf(block: common.Block, transactionId: string): HashedWrite[] {
  const parsed = parseBlock(block);
  const transaction = parsed.transactions().find((candidate) => candidate.id === transactionId);
  if (transaction === undefined)
    throw new Error(`transaction ${transactionId} is not in block ${parsed.number.toString()}`);
  return transaction.readWriteSets.flatMap((set) =>
    set.hashedPrivateWrites.map((write) => ({ namespace: set.namespace, ...write })),
  );
}

/** The MSP IDs of the peers that endorsed transaction `transactionId` of `block`, sorted. */
export function endorserMspIdsOf(block: common.Block, transactionId: string): string[] {
  for (const bytes of block.getData()?.getDataList_asU8() ?? []) {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
    );
    const header = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    if (header.getTxId() !== transactionId) continue;
    const actions = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList();
    return actions
      .flatMap(
        (action) =>
          peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8())
            .getAction()
            ?.getEndorsementsList() ?? [],
      )
      .map((endorsement) =>
        msp.SerializedIdentity.deserializeBinary(endorsement.getEndorser_asU8()).getMspid(),
      )
      .sort();
  }
  throw new Error(`transaction ${transactionId} is not in the block`);
}

/** The private writes of transaction `transactionId` that the peer delivered with its block. */
export function privateWritesOf(delivered: peer.BlockAndPrivateData, transactionId: string): PrivateWrite[] {
  const parsed = parseBlockAndPrivateData(delivered);
  const transaction = parsed.transactions().find((candidate) => candidate.id === transactionId);
  if (transaction === undefined)
    throw new Error(`transaction ${transactionId} is not in block ${parsed.number.toString()}`);
  return [...transaction.privateWrites];
}
