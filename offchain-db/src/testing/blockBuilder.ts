// Builds committed blocks the way a peer delivers them (envelope → payload → transaction → chaincode
// action → read-write set and event), with or without the private data of the block, for unit tests
// of the parser and the projection.
import { createHash } from 'node:crypto';
import { mspIdOf, termsCollectionFor } from '@p2p-escrow/chaincode';
import { type Block, parseBlockAndPrivateData } from '@p2p-escrow/fabric-client';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';

const encoder = new TextEncoder();

export interface TxSpec {
  readonly txId: string;
  readonly chaincode?: string;
  readonly validationCode?: number;
  readonly time?: Date;
  readonly writes?: readonly { key: string; value: unknown; namespace?: string }[];
  /** Writes to private data collections: hashes in the block, values in its private data. */
  readonly privateWrites?: readonly PrivateWriteSpec[];
  /** False when the peer holds no private data of this transaction (a member that missed it). */
  readonly privateDataDelivered?: boolean;
  readonly event?: { name: string; payload: unknown };
  /** A config transaction instead of an endorser transaction. */
  readonly config?: boolean;
}

export interface PrivateWriteSpec {
  readonly collection: string;
  readonly key: string;
  /** JSON-encoded, or taken as is when already bytes (a value that is not JSON). */
  readonly value: unknown;
  readonly namespace?: string;
  readonly isDelete?: boolean;
}

export function compositeKey(objectType: string, ...attributes: string[]): string {
  return `\u0000${[objectType, ...attributes].join('\u0000')}\u0000`;
}

export function buildBlock(number: number, transactions: readonly TxSpec[]): common.Block {
  const block = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(number);
  block.setHeader(header);
  const data = new common.BlockData();
  data.setDataList(transactions.map((tx) => envelopeOf(tx).serializeBinary()));
  block.setData(data);
  const metadata = new common.BlockMetadata();
  const flags = Uint8Array.from(transactions.map((tx) => tx.validationCode ?? peer.TxValidationCode.VALID));
  const entries: Uint8Array[] = [
    new Uint8Array(),
    new Uint8Array(),
    flags,
    new Uint8Array(),
    new Uint8Array(),
  ];
  metadata.setMetadataList(entries);
  block.setMetadata(metadata);
  return block;
}

/** The block as `getBlockAndPrivateDataEvents` delivers it: private data keyed by transaction position. */
export function buildBlockAndPrivateData(
  number: number,
  transactions: readonly TxSpec[],
): peer.BlockAndPrivateData {
  const delivered = new peer.BlockAndPrivateData();
  delivered.setBlock(buildBlock(number, transactions));
  const privateData = delivered.getPrivateDataMapMap();
  transactions.forEach((tx, index) => {
    if (tx.privateDataDelivered === false || (tx.privateWrites ?? []).length === 0) return;
    const set = new ledger.rwset.TxPvtReadWriteSet();
    set.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    set.setNsPvtRwsetList(
      [...groupedPrivateWrites(tx).entries()].map(([namespace, collections]) => {
        const namespaceSet = new ledger.rwset.NsPvtReadWriteSet();
        namespaceSet.setNamespace(namespace);
        namespaceSet.setCollectionPvtRwsetList(
          [...collections.entries()].map(([collection, writes]) => {
            const kvSet = new ledger.rwset.kvrwset.KVRWSet();
            kvSet.setWritesList(writes.map((write) => kvWrite(write.key, write.value, write.isDelete)));
            const collectionSet = new ledger.rwset.CollectionPvtReadWriteSet();
            collectionSet.setCollectionName(collection);
            collectionSet.setRwset(kvSet.serializeBinary());
            return collectionSet;
          }),
        );
        return namespaceSet;
      }),
    );
    privateData.set(index, set);
  });
  return delivered;
}

/** The parsed block with its private data, as the mirror reads it from its peer. */
export function deliveredBlock(number: number, transactions: readonly TxSpec[]): Block {
  return parseBlockAndPrivateData(buildBlockAndPrivateData(number, transactions));
}

function bytesOf(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : encoder.encode(JSON.stringify(value));
}

function kvWrite(key: string, value: unknown, isDelete = false): ledger.rwset.kvrwset.KVWrite {
  const write = new ledger.rwset.kvrwset.KVWrite();
  write.setKey(key);
  if (isDelete) write.setIsDelete(true);
  else write.setValue(bytesOf(value));
  return write;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/** Private writes by namespace, then by collection, in the order given. */
function groupedPrivateWrites(tx: TxSpec): Map<string, Map<string, PrivateWriteSpec[]>> {
  const grouped = new Map<string, Map<string, PrivateWriteSpec[]>>();
  for (const write of tx.privateWrites ?? []) {
    const namespace = write.namespace ?? tx.chaincode ?? 'escrow';
    const collections = grouped.get(namespace) ?? new Map<string, PrivateWriteSpec[]>();
    collections.set(write.collection, [...(collections.get(write.collection) ?? []), write]);
    grouped.set(namespace, collections);
  }
  return grouped;
}

function hashedCollectionsOf(writes: Map<string, PrivateWriteSpec[]> | undefined) {
  return [...(writes ?? new Map<string, PrivateWriteSpec[]>()).entries()].map(([collection, list]) => {
    const hashed = new ledger.rwset.kvrwset.HashedRWSet();
    hashed.setHashedWritesList(
      list.map((write) => {
        const hash = new ledger.rwset.kvrwset.KVWriteHash();
        hash.setKeyHash(sha256(encoder.encode(write.key)));
        if (write.isDelete === true) hash.setIsDelete(true);
        else hash.setValueHash(sha256(bytesOf(write.value)));
        return hash;
      }),
    );
    const collectionSet = new ledger.rwset.CollectionHashedReadWriteSet();
    collectionSet.setCollectionName(collection);
    collectionSet.setHashedRwset(hashed.serializeBinary());
    return collectionSet;
  });
}

function envelopeOf(tx: TxSpec): common.Envelope {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(
    tx.config === true ? common.HeaderType.CONFIG : common.HeaderType.ENDORSER_TRANSACTION,
  );
  channelHeader.setTxId(tx.txId);
  channelHeader.setChannelId('marketplace');
  const time = tx.time ?? new Date('2030-01-01T00:00:00.000Z');
  const timestamp = new Timestamp();
  timestamp.setSeconds(Math.floor(time.getTime() / 1000));
  timestamp.setNanos((time.getTime() % 1000) * 1e6);
  channelHeader.setTimestamp(timestamp);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transactionOf(tx).serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

function transactionOf(tx: TxSpec): peer.Transaction {
  const chaincode = tx.chaincode ?? 'escrow';
  const action = new peer.ChaincodeAction();
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(chaincode);
  action.setChaincodeId(chaincodeId);
  const byNamespace = new Map<string, ledger.rwset.kvrwset.KVWrite[]>();
  for (const write of tx.writes ?? []) {
    const namespace = write.namespace ?? chaincode;
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), kvWrite(write.key, write.value)]);
  }
  const privateWrites = groupedPrivateWrites(tx);
  for (const namespace of privateWrites.keys()) byNamespace.set(namespace, byNamespace.get(namespace) ?? []);
  const rwset = new ledger.rwset.TxReadWriteSet();
  rwset.setNsRwsetList(
    [...byNamespace.entries()].map(([namespace, writes]) => {
      const kvSet = new ledger.rwset.kvrwset.KVRWSet();
      kvSet.setWritesList(writes);
      const ns = new ledger.rwset.NsReadWriteSet();
      ns.setNamespace(namespace);
      ns.setRwset(kvSet.serializeBinary());
      ns.setCollectionHashedRwsetList(hashedCollectionsOf(privateWrites.get(namespace)));
      return ns;
    }),
  );
  action.setResults(rwset.serializeBinary());
  if (tx.event !== undefined) {
    const event = new peer.ChaincodeEvent();
    event.setChaincodeId(chaincode);
    event.setTxId(tx.txId);
    event.setEventName(tx.event.name);
    event.setPayload(encoder.encode(JSON.stringify(tx.event.payload)));
    action.setEvents(event.serializeBinary());
  }
  const response = new peer.ProposalResponsePayload();
  response.setExtension$(action.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(response.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const transactionAction = new peer.TransactionAction();
  transactionAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([transactionAction]);
  return transaction;
}

/** An escrow record as the chaincode stores it, with overrides. */
export function escrowRecord(
  escrowId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    docType: 'escrow',
    escrowId,
    state: 'CREATED',
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    amount: '12345',
    feeBps: 250,
    items: [
      { description: 'Camera', price: '12000' },
      { description: 'Strap', price: '345' },
    ],
    fundBy: '2030-01-02T00:00:00.000Z',
    shipBy: '2030-01-08T00:00:00.000Z',
    inspectionPeriodSeconds: 259200,
    createdAt: '2030-01-01T00:00:00.000Z',
    createdBy: {
      mspId: mspIdOf('MarketA'),
      organization: 'MarketA',
      role: 'marketplace',
      userId: 'marketa-backend',
    },
    updatedAt: '2030-01-01T00:00:00.000Z',
    fundedAmount: '0',
    buyerRefund: '0',
    sellerPayout: '0',
    fee: '0',
    funding: null,
    shipment: null,
    delivery: null,
    dispute: null,
    closure: null,
    settlements: { buyer: null, seller: null },
    privateDetails: null,
    ...overrides,
  };
}

/** The event payload the chaincode emits for `record`. */
export function eventPayload(record: Record<string, unknown>, details: Record<string, unknown> = {}) {
  return {
    escrowId: record['escrowId'],
    state: record['state'],
    currency: record['currency'],
    amount: record['amount'],
    fundedAmount: record['fundedAmount'],
    buyerRefund: record['buyerRefund'],
    sellerPayout: record['sellerPayout'],
    fee: record['fee'],
    actor: { mspId: mspIdOf('MarketA'), organization: 'MarketA', role: 'buyer', userId: 'alice' },
    txTime: record['updatedAt'],
    details,
  };
}

/** The reduced payload of the public chaincode event for `record`: no amounts, no user ids. */
export function publicEventPayload(record: Record<string, unknown>) {
  return {
    escrowId: record['escrowId'],
    state: record['state'],
    txTime: record['updatedAt'],
    actor: { organization: 'MarketA', role: 'buyer' },
  };
}

/** The terms collection of `record`'s two marketplaces (plus Oversight), named as the chaincode names it. */
export function termsCollectionOf(record: Record<string, unknown>): string {
  const [buyer, seller] = [record['buyer'], record['seller']].map((party) =>
    String((party as { marketplace: unknown }).marketplace),
  );
  return termsCollectionFor(buyer ?? '', seller ?? '');
}

/** What public state keeps of `record`: identifiers, state, deadlines and a hash of the terms. */
export function publicEscrowOf(record: Record<string, unknown>): Record<string, unknown> {
  return {
    docType: 'publicEscrow',
    escrowId: record['escrowId'],
    state: record['state'],
    termsCollection: termsCollectionOf(record),
    termsHash: 'c'.repeat(64),
    acceptBy: record['acceptBy'] ?? null,
    fundBy: record['fundBy'],
    shipBy: record['shipBy'],
    inspectionEndsAt: null,
    createdAt: record['createdAt'],
    updatedAt: record['updatedAt'],
    privateDetails: record['privateDetails'],
  };
}

/** The version of `record` a transaction writes to the terms collection, with its full event. */
export function escrowVersion(
  txId: string,
  eventName: string,
  record: Record<string, unknown>,
  payload: unknown,
) {
  return {
    docType: 'escrowVersion',
    escrowId: record['escrowId'],
    txId,
    escrow: record,
    event: { name: eventName, payload },
  };
}

/**
 * A valid escrow transaction as the chaincode writes it (its event's `details` in the full payload): the public record and index on public state,
 * the full record and its version (with the full event payload) in the terms collection, and the
 * reduced event.
 */
export function escrowTx(
  txId: string,
  eventName: string,
  record: Record<string, unknown>,
  details: Record<string, unknown> = {},
): TxSpec {
  const escrowId = String(record['escrowId']);
  const collection = termsCollectionOf(record);
  return {
    txId,
    writes: [
      { key: compositeKey('escrow', escrowId), value: publicEscrowOf(record) },
      { key: compositeKey('escrow~state', String(record['state']), escrowId), value: 0 },
    ],
    privateWrites: [
      { collection, key: compositeKey('escrow', escrowId), value: { ...record, termsSalt: 'd'.repeat(32) } },
      {
        collection,
        key: compositeKey('escrow~version', escrowId, txId),
        value: escrowVersion(txId, eventName, record, eventPayload(record, details)),
      },
    ],
    event: { name: eventName, payload: publicEventPayload(record) },
  };
}
