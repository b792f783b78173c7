// Personal data of an escrow travels as transient data into the private collection of the two
// parties' orgs: readable there, not on Oversight's peer, absent from the committed block (which
// carries only hashes), and purged by the erasure transaction, which keeps the salted hash public.
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import {
  blockAndPrivateDataAt,
  blockAt,
  containsText,
  hashedPrivateWritesOf,
  evaluateEscrow,
  CROSS_MARKET,
  Trade,
  sha256Hex,
  fabricSuite,
} from '@p2p-escrow/testkit';
import { expectRefusal, expectTransition } from './assertions';

const COLLECTION = 'escrowPrivate_MarketA_MarketB';

/** JSON with keys sorted at every depth, as the chaincode's state serializer writes it. */
function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${fields.join(',')}}`;
}

/** The composite key the chaincode stores an escrow's private details under. */
function privateKeyOf(escrowId: string): string {
  return `\u0000escrow\u0000${escrowId}\u0000`;
}

describe('escrow private data on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  it('keeps the address in MarketA’s and MarketB’s collection only, off the block, until erased', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'private');
    const unique = crypto.randomBytes(6).toString('hex');
    const address = `Rue des Lilas ${unique}, 75011 Paris`;
    const email = `alice.${unique}@example.org`;
    const salt = crypto.randomBytes(32).toString('hex');
    const details = {
      salt,
      shippingAddress: { street: address, country: 'FR' },
      contact: { email, phone: '+33 1 23 45 67 89' },
    };
    const expectedHash = sha256Hex(
      canonicalJson({ docType: 'privateDetails', escrowId: trade.escrowId, ...details }),
    );

    // The proposal is the transaction that carries the details (in its transient data).
    const created = await trade.propose({}, { privateDetails: JSON.stringify(details) });
    expect(created.escrow.privateDetails).to.deep.equal({
      collection: COLLECTION,
      hash: expectedHash,
      erasedAt: null,
    });

    // Each party, and each party's marketplace backend, reads it through its own org's peer.
    for (const reader of ['alice', 'marketa-backend', 'bea', 'marketb-backend']) {
      const read = await trade.evaluate(reader, 'readPrivateDetails', [trade.escrowId]);
      expect(read, reader).to.deep.include({ ...details, hash: expectedHash, hashMatches: true });
    }
    // Oversight's peer is outside the collection: even the buyer gets nothing there, and
    // Oversight's own identities are no readers at all.
    const throughOversight = (identity: string) =>
      evaluateEscrow(pool.of(identity, 'Oversight'), 'readPrivateDetails', [trade.escrowId], {
        endorsingOrganizations: ['OversightMSP'],
      });
    await pool.caughtUp(['Oversight'], created.blockNumber);
    await expectRefusal(throughOversight('alice'), 'PRIVATE_DETAILS_NOT_FOUND');
    await expectRefusal(throughOversight('olivia'), 'FORBIDDEN_ACTOR');

    // The committed block holds the escrow and the salted hash, never the details or the salt.
    const block = await blockAt(pool.onPeer('Oversight'), created.blockNumber);
    const blockBytes = block.serializeBinary();
    expect(containsText(blockBytes, trade.escrowId)).to.equal(true);
    expect(containsText(blockBytes, expectedHash)).to.equal(true);
    for (const secret of [address, email, salt, unique]) {
      expect(containsText(blockBytes, secret), `block contains ${secret}`).to.equal(false);
    }
    const keyHash = sha256Hex(privateKeyOf(trade.escrowId));
    expect(hashedPrivateWritesOf(block, created.transactionId)).to.deep.equal([
      { namespace: 'escrow', collection: COLLECTION, keyHash, isDelete: false, isPurge: false },
    ]);
    // The same block delivered with private data: MarketA's peer adds the details from its private
    // data store (the block alone has none, above); Oversight's peer has nothing to add.
    const onMarketA = await blockAndPrivateDataAt(pool.onPeer('MarketA'), created.blockNumber);
    expect(containsText(onMarketA.serializeBinary(), address)).to.equal(true);
    const onOversight = await blockAndPrivateDataAt(pool.onPeer('Oversight'), created.blockNumber);
    expect(containsText(onOversight.serializeBinary(), address)).to.equal(false);

    // Erasure purges the collection entry and records when; the salted hash stays on the escrow.
    const erased = await trade.step('marketb-backend', 'erasePrivateDetails', [trade.escrowId]);
    expectTransition(erased, 'PrivateDetailsErased', 'PROPOSED', 'marketb-backend');
    expect(erased.event.payload['details']).to.deep.equal({ collection: COLLECTION });
    expect(erased.escrow.privateDetails).to.deep.equal({
      collection: COLLECTION,
      hash: expectedHash,
      erasedAt: erased.escrow.updatedAt,
    });
    const erasureBlock = await blockAt(pool.onPeer('MarketA'), erased.blockNumber);
    const purges = hashedPrivateWritesOf(erasureBlock, erased.transactionId);
    expect(
      purges.map(({ collection, keyHash: hash, isPurge }) => ({ collection, hash, isPurge })),
    ).to.deep.equal([{ collection: COLLECTION, hash: keyHash, isPurge: true }]);
    expect(containsText(erasureBlock.serializeBinary(), address)).to.equal(false);
    // Gone from the parties' peers: not even the creation block is delivered with it any more.
    await pool.caughtUp(['MarketB'], erased.blockNumber);
    for (const org of ['MarketA', 'MarketB'] as const) {
      const afterErasure = await blockAndPrivateDataAt(pool.onPeer(org), created.blockNumber);
      expect(containsText(afterErasure.serializeBinary(), address), org).to.equal(false);
    }

    for (const reader of ['alice', 'marketa-backend', 'bea', 'marketb-backend']) {
      await expectRefusal(
        trade.evaluate(reader, 'readPrivateDetails', [trade.escrowId]),
        'PRIVATE_DETAILS_NOT_FOUND',
      );
    }
    await expectRefusal(
      trade.step('marketa-backend', 'erasePrivateDetails', [trade.escrowId]),
      'PRIVATE_DETAILS_NOT_FOUND',
      trade,
    );
    expect((await trade.read('bea')).privateDetails?.hash).to.equal(expectedHash);
  });
});
