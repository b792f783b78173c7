// Personal data of an escrow travels as transient data into the private collection of the two
// parties' orgs, in its own transaction endorsed by those orgs alone (the create declares only its
// salted hash): readable there, not on Oversight's peer, absent from the committed blocks (which
// carry only hashes), and purged by the erasure transaction, which keeps the salted hash public.
// A private read answers sealed under a transient key, and a submitted one is refused.
import { EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { newResponseKey, openSealedResult } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import {
  blockAndPrivateDataAt,
  blockAt,
  containsText,
  endorserMspIdsOf,
  hashedPrivateWritesOf,
  evaluatePrivateDetails,
  escrowContract,
  CROSS_MARKET,
  SAME_MARKET_B,
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

/** Personal data with a unique address, so a block can be searched for it. */
function newDetails(): { details: Record<string, unknown>; address: string } {
  const address = `Calle Mayor ${crypto.randomBytes(6).toString('hex')}, Madrid`;
  const details = {
    salt: crypto.randomBytes(32).toString('hex'),
    shippingAddress: address,
    contact: { phone: '+34 600 000 000' },
  };
  return { details, address };
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

    // The proposal declares the salted hash; a second transaction stores the details.
    const created = await trade.propose({}, details);
    const stored = created.privateDetailsStored;
    if (stored === undefined) throw new Error('the private details were not stored');
    expect(created.escrow.privateDetails).to.deep.equal({
      collection: COLLECTION,
      hash: expectedHash,
      erasedAt: null,
    });

    // Each party, and each party's marketplace backend, reads it through its own org's peer.
    for (const reader of ['alice', 'marketa-backend', 'bea', 'marketb-backend']) {
      const read = await trade.readPrivateDetails(reader);
      expect(read, reader).to.deep.include({ ...details, hash: expectedHash, hashMatches: true });
    }
    // Oversight's peer is outside the collection: even the buyer gets nothing there, and
    // Oversight's own identities are no readers at all.
    const throughOversight = (identity: string) =>
      evaluatePrivateDetails(pool.of(identity, 'Oversight'), trade.escrowId, {
        endorsingOrganizations: ['OversightMSP'],
      });
    await pool.caughtUp(['Oversight'], stored.blockNumber);
    await expectRefusal(throughOversight('alice'), 'PRIVATE_DETAILS_NOT_FOUND');
    await expectRefusal(throughOversight('olivia'), 'FORBIDDEN_ACTOR');

    // The committed blocks hold the escrow and the salted hash, never the details or the salt; the
    // create wrote no personal data (its terms only), the put (endorsed by the parties' orgs) only
    // hashes of it.
    const createBlock = await blockAt(pool.onPeer('Oversight'), created.blockNumber);
    expect(containsText(createBlock.serializeBinary(), expectedHash)).to.equal(true);
    const personal = (write: { collection: string }) => write.collection === COLLECTION;
    expect(hashedPrivateWritesOf(createBlock, created.transactionId).filter(personal)).to.deep.equal([]);
    const block = await blockAt(pool.onPeer('Oversight'), stored.blockNumber);
    expect(endorserMspIdsOf(block, stored.transactionId)).to.deep.equal(['MarketAMSP', 'MarketBMSP']);
    for (const bytes of [createBlock.serializeBinary(), block.serializeBinary()]) {
      for (const secret of [address, email, salt, unique]) {
        expect(containsText(bytes, secret), `block contains ${secret}`).to.equal(false);
      }
    }
    const keyHash = sha256Hex(privateKeyOf(trade.escrowId));
    expect(hashedPrivateWritesOf(block, stored.transactionId)).to.deep.equal([
      { namespace: 'escrow', collection: COLLECTION, keyHash, isDelete: false, isPurge: false },
    ]);
    // The same block delivered with private data: MarketA's peer adds the details from its private
    // data store (the block alone has none, above); Oversight's peer has nothing to add.
    const onMarketA = await blockAndPrivateDataAt(pool.onPeer('MarketA'), stored.blockNumber);
    expect(containsText(onMarketA.serializeBinary(), address)).to.equal(true);
    const onOversight = await blockAndPrivateDataAt(pool.onPeer('Oversight'), stored.blockNumber);
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
    const purges = hashedPrivateWritesOf(erasureBlock, erased.transactionId).filter(personal);
    expect(
      purges.map(({ collection, keyHash: hash, isPurge }) => ({ collection, hash, isPurge })),
    ).to.deep.equal([{ collection: COLLECTION, hash: keyHash, isPurge: true }]);
    expect(containsText(erasureBlock.serializeBinary(), address)).to.equal(false);
    // Gone from the parties' peers: not even the put's block is delivered with it any more.
    await pool.caughtUp(['MarketB'], erased.blockNumber);
    for (const org of ['MarketA', 'MarketB'] as const) {
      const afterErasure = await blockAndPrivateDataAt(pool.onPeer(org), stored.blockNumber);
      expect(containsText(afterErasure.serializeBinary(), address), org).to.equal(false);
    }

    for (const reader of ['alice', 'marketa-backend', 'bea', 'marketb-backend']) {
      await expectRefusal(trade.readPrivateDetails(reader), 'PRIVATE_DETAILS_NOT_FOUND');
    }
    await expectRefusal(
      trade.step('marketa-backend', 'erasePrivateDetails', [trade.escrowId]),
      'PRIVATE_DETAILS_NOT_FOUND',
      trade,
    );
    expect((await trade.read('bea')).privateDetails?.hash).to.equal(expectedHash);
  });

  it('sends a same-marketplace escrow’s personal data to that marketplace’s peer only, never to Oversight', async () => {
    const trade = new Trade(pool, SAME_MARKET_B, 'private-same');
    const { details, address } = newDetails();
    // Details on the create itself (whose endorsers include Oversight) are refused.
    await expectRefusal(
      trade.step('marketb-backend', 'createEscrow', [trade.escrowId, JSON.stringify(trade.request())], {
        transientData: { privateDetails: JSON.stringify(details) },
      }),
      'INVALID_INPUT',
    );
    const created = await trade.create({}, details);
    const stored = created.privateDetailsStored;
    if (stored === undefined) throw new Error('the private details were not stored');
    // Nobody but the parties' marketplace stores them, not even with the right details: another
    // marketplace, the buyer himself, Oversight's arbiter (each straight through fabric-gateway).
    for (const outsider of ['marketa-backend', 'bob', 'olivia'])
      await expectRefusal(trade.putPrivateDetails(details, outsider), 'FORBIDDEN_ACTOR');
    const createBlock = await blockAt(pool.onPeer('MarketB'), created.blockNumber);
    expect(endorserMspIdsOf(createBlock, created.transactionId)).to.deep.equal([
      'MarketBMSP',
      'OversightMSP',
    ]);
    const putBlock = await blockAt(pool.onPeer('MarketB'), stored.blockNumber);
    expect(endorserMspIdsOf(putBlock, stored.transactionId)).to.deep.equal(['MarketBMSP']);
    expect(
      hashedPrivateWritesOf(putBlock, stored.transactionId).map((write) => write.collection),
    ).to.deep.equal(['escrowPrivate_MarketB']);
    expect(await trade.readPrivateDetails('bob')).to.deep.include({ ...details, hashMatches: true });
    await pool.caughtUp(['Oversight'], stored.blockNumber);
    const onOversight = await blockAndPrivateDataAt(pool.onPeer('Oversight'), stored.blockNumber);
    expect(containsText(onOversight.serializeBinary(), address)).to.equal(false);

    // Erasure still takes the escrow's own endorsers (MarketB and Oversight): a purge carries no data.
    const erased = await trade.step('marketb-backend', 'erasePrivateDetails', [trade.escrowId]);
    expectTransition(erased, 'PrivateDetailsErased', 'CREATED', 'marketb-backend');
    await expectRefusal(trade.readPrivateDetails('bea'), 'PRIVATE_DETAILS_NOT_FOUND');
  });

  it('refuses a private read submitted for ordering, and no block ever holds the data', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'private-rogue');
    const { details, address } = newDetails();
    await trade.create({}, details);
    await pool.caughtUp(['MarketA', 'MarketB'], trade.lastBlock);
    // A rogue client of MarketA, straight through fabric-gateway, not through the project's gateway.
    const contract = escrowContract(pool.of('alice', 'MarketA'));
    const bothParties = ['MarketAMSP', 'MarketBMSP'];
    const args = [trade.escrowId];

    // Without a transient response key every endorser refuses.
    await expectRefusal(
      contract.submit('readPrivateDetails', { arguments: args, endorsingOrganizations: bothParties }),
      'RESPONSE_KEY_REQUIRED',
    );
    // With one, each peer seals its answer under a fresh IV: two orgs' endorsements never agree...
    const responseKey = newResponseKey();
    const transientData = { responseKey };
    const twoOrgs = await contract
      .submit('readPrivateDetails', { arguments: args, transientData, endorsingOrganizations: bothParties })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(twoOrgs, 'endorsed by both parties').to.be.instanceOf(EndorseError);
    // ...whatever plan the peer's gateway picks by itself...
    const planned = await contract.submit('readPrivateDetails', { arguments: args, transientData }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(planned, 'endorsed by the gateway’s plan').to.be.instanceOf(GatewayError);
    // ...and one org's answer alone is ordered but fails the chaincode's MAJORITY policy. The block
    // holds that answer as ciphertext only; its key never left the client.
    const submitted = await contract.submitAsync('readPrivateDetails', {
      arguments: args,
      transientData,
      endorsingOrganizations: ['MarketAMSP'],
    });
    const status = await submitted.getStatus();
    expect(status.code).to.equal(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    const block = await blockAt(pool.onPeer('MarketA'), status.blockNumber);
    expect(containsText(block.serializeBinary(), address)).to.equal(false);
    const sealed = Buffer.from(submitted.getResult()).toString('utf8');
    expect(containsText(block.serializeBinary(), sealed)).to.equal(true);
    expect(JSON.parse(openSealedResult(responseKey, sealed))).to.deep.include(details);
  });
});
