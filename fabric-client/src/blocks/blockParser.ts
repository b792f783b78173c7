// Committed blocks behind small lazy interfaces: nothing is decoded until asked for, and each part
// is decoded once. System chaincodes, config blocks and invalid transactions are filtered here only
// (validTransactionsOf); every reader of blocks, services and tests alike, goes through parseBlock,
// or parseBlockAndPrivateData for a block delivered with the private data the caller may read.
import { common, ledger, peer } from '@hyperledger/fabric-protos';

export interface Block {
  readonly number: bigint;
  /** Every endorser transaction of the block, valid or not, in block order. */
  transactions(): readonly Transaction[];
}

export interface Transaction {
  readonly id: string;
  /** Position in the block (the index into the block's validation flags). */
  readonly index: number;
  readonly validationCode: number;
  readonly isValid: boolean;
  /** Proposal time stamped by the client (the chaincode's transaction timestamp). */
  readonly timestamp: Date;
  /** Name of the chaincode invoked (from the chaincode action). */
  readonly chaincodeName: string;
  readonly readWriteSets: readonly ReadWriteSet[];
  /** The chaincode event, when the transaction set one (Fabric keeps at most one per transaction). */
  readonly event: ChaincodeEventRecord | undefined;
  /**
   * Its writes to private data collections in clear, as far as the peer delivered them with the
   * block (collections the caller's org is a member of and the peer holds); none for a plain block.
   */
  readonly privateWrites: readonly PrivateWrite[];
}

export interface ReadWriteSet {
  readonly namespace: string;
  readonly writes: readonly KeyWrite[];
  /** Writes to private data collections, as the block records them: hashes only. */
  readonly hashedPrivateWrites: readonly HashedPrivateWrite[];
}

export interface HashedPrivateWrite {
  readonly collection: string;
  /** SHA-256 of the key, hex. */
  readonly keyHash: string;
  readonly isDelete: boolean;
  readonly isPurge: boolean;
}

export interface KeyWrite {
  readonly key: string;
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

export interface PrivateWrite extends KeyWrite {
  readonly namespace: string;
  readonly collection: string;
}

export interface ChaincodeEventRecord {
  readonly chaincodeName: string;
  readonly name: string;
  readonly payload: Uint8Array;
}

function lazy<T>(compute: () => T): () => T {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

/** The private read-write set the peer delivered for the transaction at a block position, if any. */
type PrivateDataAt = (index: number) => ledger.rwset.TxPvtReadWriteSet | undefined;

export function parseBlock(block: common.Block): Block {
  return parsedBlock(block, () => undefined);
}

/** A block from `getBlockAndPrivateDataEvents`: its private data map is keyed by transaction position. */
export function parseBlockAndPrivateData(delivered: peer.BlockAndPrivateData): Block {
  const block = delivered.getBlock();
  if (block === undefined) throw new Error('block and private data without a block');
  const privateData = delivered.getPrivateDataMapMap();
  return parsedBlock(block, (index) => privateData.get(index));
}

function parsedBlock(block: common.Block, privateDataAt: PrivateDataAt): Block {
  const header = block.getHeader();
  if (header === undefined) throw new Error('block without a header');
  const number = BigInt(header.getNumber());
  const transactions = lazy(() => {
    const flags =
      block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ??
      new Uint8Array();
    const envelopes = block.getData()?.getDataList_asU8() ?? [];
    const result: Transaction[] = [];
    envelopes.forEach((bytes, index) => {
      const envelope = common.Envelope.deserializeBinary(bytes);
      const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
      const channelHeaderBytes = payload.getHeader()?.getChannelHeader_asU8();
      if (channelHeaderBytes === undefined) return;
      const channelHeader = common.ChannelHeader.deserializeBinary(channelHeaderBytes);
      if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
      // A block's flags are one byte per envelope; a missing flag is treated as invalid.
      const privateData = privateDataAt(index);
      result.push(endorserTransaction(channelHeader, payload, index, flags[index] ?? 255, privateData));
    });
    return result;
  });
  return { number, transactions };
}

function endorserTransaction(
  channelHeader: common.ChannelHeader,
  payload: common.Payload,
  index: number,
  validationCode: number,
  privateData: ledger.rwset.TxPvtReadWriteSet | undefined,
): Transaction {
  const action = lazy(() => chaincodeActionOf(payload));
  const privateWrites = lazy(() => privateWritesOf(privateData));
  const seconds = channelHeader.getTimestamp()?.getSeconds() ?? 0;
  const nanos = channelHeader.getTimestamp()?.getNanos() ?? 0;
  const readWriteSets = lazy(() => readWriteSetsOf(action()));
  const event = lazy(() => eventOf(action()));
  return {
    id: channelHeader.getTxId(),
    index,
    validationCode,
    isValid: validationCode === peer.TxValidationCode.VALID,
    timestamp: new Date(seconds * 1000 + Math.floor(nanos / 1e6)),
    get chaincodeName() {
      return action()?.getChaincodeId()?.getName() ?? '';
    },
    get readWriteSets() {
      return readWriteSets();
    },
    get event() {
      return event();
    },
    get privateWrites() {
      return privateWrites();
    },
  };
}

function chaincodeActionOf(payload: common.Payload): peer.ChaincodeAction | undefined {
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  // Endorser transactions carry one action in practice; the first is the one the peer validated.
  const first = transaction.getActionsList()[0];
  if (first === undefined) return undefined;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(first.getPayload_asU8());
  const responseBytes = actionPayload.getAction()?.getProposalResponsePayload_asU8();
  if (responseBytes === undefined) return undefined;
  const response = peer.ProposalResponsePayload.deserializeBinary(responseBytes);
  return peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
}

function readWriteSetsOf(action: peer.ChaincodeAction | undefined): ReadWriteSet[] {
  if (action === undefined) return [];
  const results = action.getResults_asU8();
  if (results.length === 0) return [];
  return ledger.rwset.TxReadWriteSet.deserializeBinary(results)
    .getNsRwsetList()
    .map((namespaceSet) => ({
      namespace: namespaceSet.getNamespace(),
      writes: keyWritesOf(namespaceSet.getRwset_asU8()),
      hashedPrivateWrites: namespaceSet.getCollectionHashedRwsetList().flatMap((collection) =>
        ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(collection.getHashedRwset_asU8())
          .getHashedWritesList()
          .map((write) => ({
            collection: collection.getCollectionName(),
            keyHash: Buffer.from(write.getKeyHash_asU8()).toString('hex'),
            isDelete: write.getIsDelete(),
            isPurge: write.getIsPurge(),
          })),
      ),
    }));
}

function privateWritesOf(privateData: ledger.rwset.TxPvtReadWriteSet | undefined): PrivateWrite[] {
  if (privateData === undefined) return [];
  return privateData.getNsPvtRwsetList().flatMap((namespaceSet) =>
    namespaceSet.getCollectionPvtRwsetList().flatMap((collectionSet) =>
      keyWritesOf(collectionSet.getRwset_asU8()).map((write) => ({
        namespace: namespaceSet.getNamespace(),
        collection: collectionSet.getCollectionName(),
        ...write,
      })),
    ),
  );
}

/** The writes of one serialized KVRWSet: a namespace's public writes or a collection's private ones. */
function keyWritesOf(rwset: Uint8Array): KeyWrite[] {
  return ledger.rwset.kvrwset.KVRWSet.deserializeBinary(rwset)
    .getWritesList()
    .map((write) => ({ key: write.getKey(), isDelete: write.getIsDelete(), value: write.getValue_asU8() }));
}

function eventOf(action: peer.ChaincodeAction | undefined): ChaincodeEventRecord | undefined {
  const bytes = action?.getEvents_asU8();
  if (bytes === undefined || bytes.length === 0) return undefined;
  const event = peer.ChaincodeEvent.deserializeBinary(bytes);
  if (event.getEventName() === '') return undefined;
  return {
    chaincodeName: event.getChaincodeId(),
    name: event.getEventName(),
    payload: event.getPayload_asU8(),
  };
}

/**
 * The one filter of the mirror: valid transactions of `chaincodeName`. System chaincodes (lifecycle,
 * qscc, cscc), config transactions and transactions the peer marked invalid (MVCC conflicts,
 * endorsement policy failures, duplicate ids) never reach the projection.
 */
export function validTransactionsOf(block: Block, chaincodeName: string): Transaction[] {
  return block.transactions().filter((tx) => tx.isValid && tx.chaincodeName === chaincodeName);
}
