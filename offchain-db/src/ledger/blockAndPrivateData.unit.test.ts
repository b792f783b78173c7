import { parseBlock, parseBlockAndPrivateData } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { buildBlock, buildBlockAndPrivateData, compositeKey, type TxSpec } from '../testing/blockBuilder';

const decoder = new TextDecoder();
const COLLECTION = 'escrowTerms_MarketA_MarketB';

const transactions: TxSpec[] = [
  { txId: 'tx-public', writes: [{ key: compositeKey('escrow', 'esc-0'), value: { n: 0 } }] },
  {
    txId: 'tx-private',
    privateWrites: [
      { collection: COLLECTION, key: compositeKey('escrow', 'esc-1'), value: { n: 1 } },
      { collection: COLLECTION, key: compositeKey('escrow~party', 'MarketA', 'alice', 'esc-1'), value: 0 },
      { collection: 'escrowPrivate_MarketA', key: 'gone', value: null, isDelete: true, namespace: 'other' },
    ],
  },
  {
    txId: 'tx-missed',
    privateWrites: [{ collection: COLLECTION, key: compositeKey('escrow', 'esc-2'), value: { n: 2 } }],
    privateDataDelivered: false,
  },
];

describe('block and private data parser', () => {
  it('gives each transaction the private writes the peer delivered for its position in the block', () => {
    const block = parseBlockAndPrivateData(buildBlockAndPrivateData(4, transactions));

    const writes = block.transactions().map((tx) =>
      tx.privateWrites.map((write) => ({
        namespace: write.namespace,
        collection: write.collection,
        key: write.key,
        isDelete: write.isDelete,
        value: write.isDelete ? undefined : decoder.decode(write.value),
      })),
    );

    expect(block.number).to.equal(4n);
    expect(writes).to.deep.equal([
      [],
      [
        {
          namespace: 'escrow',
          collection: COLLECTION,
          key: compositeKey('escrow', 'esc-1'),
          isDelete: false,
          value: '{"n":1}',
        },
        {
          namespace: 'escrow',
          collection: COLLECTION,
          key: compositeKey('escrow~party', 'MarketA', 'alice', 'esc-1'),
          isDelete: false,
          value: '0',
        },
        {
          namespace: 'other',
          collection: 'escrowPrivate_MarketA',
          key: 'gone',
          isDelete: true,
          value: undefined,
        },
      ],
      [],
    ]);
  });

  it('reads the same transactions from a plain block, with the private writes as hashes only', () => {
    const plain = parseBlock(buildBlock(4, transactions)).transactions();
    const withPrivate = parseBlockAndPrivateData(buildBlockAndPrivateData(4, transactions)).transactions();

    const shape = (tx: (typeof plain)[number]) => ({
      id: tx.id,
      index: tx.index,
      writes: tx.readWriteSets.map((set) => [set.namespace, set.writes.map((w) => w.key)]),
      hashed: tx.readWriteSets.flatMap((set) =>
        set.hashedPrivateWrites.map((w) => [w.collection, w.isDelete]),
      ),
    });
    expect(plain.map(shape)).to.deep.equal(withPrivate.map(shape));
    expect(plain.every((tx) => tx.privateWrites.length === 0)).to.equal(true);
    expect(plain[2]?.readWriteSets[0]?.hashedPrivateWrites.map((w) => w.collection)).to.deep.equal([
      COLLECTION,
    ]);
  });

  it('refuses a delivery without a block', () => {
    const delivered = buildBlockAndPrivateData(4, transactions);
    delivered.clearBlock();

    expect(() => parseBlockAndPrivateData(delivered)).to.throw('block and private data without a block');
  });
});
