import { escrowFromBytes, type Organization } from '@p2p-escrow/chaincode';
import { parseBlock } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import {
  buildBlock,
  compositeKey,
  deliveredBlock,
  escrowRecord,
  escrowTx,
  escrowVersion,
  eventPayload,
  publicEventPayload,
  termsCollectionOf,
  type TxSpec,
} from '../testing/blockBuilder';
import { blockEffects, type EscrowFallback, type ProjectionOptions } from './blockEffects';

const options: ProjectionOptions = {
  chaincodeName: 'escrow',
  channel: 'marketplace',
  organization: 'Oversight',
};
const MVCC_READ_CONFLICT = 11;

const noLedgerRead: EscrowFallback = () => Promise.reject(new Error('the ledger must not be read'));

/** A fallback that answers `record` and notes each escrow it was asked for. */
function ledgerHolding(record: Record<string, unknown>) {
  const asked: string[] = [];
  const fallback: EscrowFallback = (escrowId) => {
    asked.push(escrowId);
    return Promise.resolve(escrowFromBytes(Buffer.from(JSON.stringify(record))));
  };
  return { asked, fallback };
}

const review = {
  docType: 'review',
  escrowId: 'esc-r',
  reviewer: 'buyer',
  reviewerUserId: 'alice',
  subject: { marketplace: 'MarketB', userId: 'bea' },
  rating: 5,
  textHash: 'a'.repeat(64),
  postedAt: '2030-01-05T00:00:00.000Z',
};

const REF = 'b'.repeat(64);

/** What public state keeps of the review: no escrow, no author. */
const publicReview = {
  docType: 'publicReview',
  ref: REF,
  reviewer: 'buyer',
  subject: { marketplace: 'MarketB', userId: 'bea' },
  rating: 5,
  textHash: 'a'.repeat(64),
  postedAt: '2030-01-05T00:00:00.000Z',
};

/**
 * A review as the chaincode writes it: the reduced review on public state under an unlinkable
 * reference; the full review and a version of the unchanged escrow in the terms collection.
 */
function reviewTx(record: Record<string, unknown>): TxSpec {
  const collection = termsCollectionOf(record);
  return {
    txId: 'tx-review',
    writes: [{ key: compositeKey('review', 'MarketB', 'bea', REF), value: publicReview }],
    privateWrites: [
      { collection, key: compositeKey('review', 'esc-r', 'buyer'), value: review },
      {
        collection,
        key: compositeKey('escrow~version', 'esc-r', 'tx-review'),
        value: escrowVersion('tx-review', 'ReviewPosted', record, eventPayload(record, { rating: 5 })),
      },
    ],
    event: { name: 'ReviewPosted', payload: publicEventPayload(record) },
  };
}

describe('blockEffects', () => {
  it('keeps only valid transactions of the escrow chaincode', async () => {
    const record = escrowRecord('esc-1');
    const block = deliveredBlock(7, [
      escrowTx('tx-valid', 'EscrowCreated', record),
      { ...escrowTx('tx-mvcc', 'EscrowCreated', escrowRecord('esc-2')), validationCode: MVCC_READ_CONFLICT },
      { txId: 'tx-lifecycle', chaincode: '_lifecycle', writes: [{ key: 'namespaces/x', value: {} }] },
      { ...escrowTx('tx-other', 'EscrowCreated', escrowRecord('esc-3')), chaincode: 'basic' },
      { txId: 'tx-config', config: true },
    ]);

    const effects = await blockEffects(block, options);

    expect(effects.blockNumber).to.equal(7n);
    expect(effects.transitions.map((t) => t.txId)).to.deep.equal(['tx-valid']);
    expect(effects.escrows.map((e) => e.record.escrowId)).to.deep.equal(['esc-1']);
    expect(effects.outbox.map((e) => e.eventId)).to.deep.equal(['tx-valid:0']);
  });

  it('takes the record from the terms collection and the full payload from its version, not from public state', async () => {
    const record = escrowRecord('esc-9', {
      state: 'FUNDED',
      fundedAmount: '12345',
      updatedAt: '2030-01-01T01:00:00.000Z',
    });
    const block = deliveredBlock(3, [
      { txId: 'filler', chaincode: 'qscc' },
      escrowTx('tx-fund', 'PaymentConfirmed', record, { providerRef: 'pi_1' }),
    ]);

    const effects = await blockEffects(block, { ...options, fallback: noLedgerRead });

    const [write] = effects.escrows;
    expect(write?.record).to.include({
      escrowId: 'esc-9',
      state: 'FUNDED',
      fundedAmount: '12345',
      amount: '12345',
    });
    expect(write?.record.buyer).to.deep.equal({ marketplace: 'MarketA', userId: 'alice' });
    expect(write?.record).not.to.have.property('termsSalt');
    expect(write?.txId).to.equal('tx-fund');
    const [transition] = effects.transitions;
    expect(transition).to.include({
      escrowId: 'esc-9',
      txIndex: 1,
      eventIndex: 0,
      eventName: 'PaymentConfirmed',
    });
    expect(transition?.payload).to.deep.equal(eventPayload(record, { providerRef: 'pi_1' }));
    const [event] = effects.outbox;
    expect(event).to.include({ eventId: 'tx-fund:0', eventType: 'PaymentConfirmed', key: 'esc-9' });
    expect(event?.message).to.include({ blockNumber: '3', txId: 'tx-fund', type: 'PaymentConfirmed' });
    expect(event?.message['data']).to.deep.equal(eventPayload(record, { providerRef: 'pi_1' }));
  });

  it('records the full review from the terms collection, with its full payload, without rewriting the escrow', async () => {
    const record = escrowRecord('esc-r', { state: 'RELEASED' });

    const effects = await blockEffects(deliveredBlock(9, [reviewTx(record)]), {
      ...options,
      fallback: noLedgerRead,
    });

    expect(effects.escrows).to.have.length(0);
    expect(effects.reviews.map((r) => r.review)).to.deep.equal([review]);
    expect(effects.transitions.map((t) => [t.eventName, t.payload])).to.deep.equal([
      ['ReviewPosted', eventPayload(record, { rating: 5 })],
    ]);
  });

  it('skips, without reading the ledger, a transaction on a terms collection its org is not a member of', async () => {
    const localTrade = escrowRecord('esc-a', { seller: { marketplace: 'MarketA', userId: 'amir' } });
    const crossTrade = escrowRecord('esc-ab');
    const block = deliveredBlock(2, [
      // MarketB's peer holds no private data of a MarketA-only trade: only its hashes.
      { ...escrowTx('tx-local', 'EscrowCreated', localTrade), privateDataDelivered: false },
      escrowTx('tx-cross', 'EscrowCreated', crossTrade),
    ]);
    const projectionOf = (organization: Organization) =>
      blockEffects(block, { ...options, organization, fallback: noLedgerRead });

    const marketB = await projectionOf('MarketB');

    expect(termsCollectionOf(localTrade)).to.equal('escrowTerms_MarketA');
    expect(marketB.escrows.map((e) => e.record.escrowId)).to.deep.equal(['esc-ab']);
    expect(marketB.transitions.map((t) => t.txId)).to.deep.equal(['tx-cross']);
    expect(marketB.outbox.map((e) => e.key)).to.deep.equal(['esc-ab']);
    expect(marketB.unreadable).to.deep.equal([]);
    expect(marketB.blockTime).to.deep.equal(new Date('2030-01-01T00:00:00.000Z'));
  });

  it('reads the record through the chaincode when a member got no private data, and builds the payload from the public event and the record', async () => {
    const record = escrowRecord('esc-f', {
      state: 'SHIPPED',
      fundedAmount: '12345',
      updatedAt: '2030-01-03T00:00:00.000Z',
    });
    const { asked, fallback } = ledgerHolding(record);
    const block = deliveredBlock(4, [
      { ...escrowTx('tx-missed', 'Shipped', record, { carrier: 'DHL' }), privateDataDelivered: false },
    ]);

    const effects = await blockEffects(block, { ...options, fallback });

    expect(asked).to.deep.equal(['esc-f']);
    expect(effects.escrows.map((e) => [e.txId, e.record.state, e.record.buyer.userId])).to.deep.equal([
      ['tx-missed', 'SHIPPED', 'alice'],
    ]);
    expect(effects.transitions.map((t) => t.payload)).to.deep.equal([
      {
        escrowId: 'esc-f',
        state: 'SHIPPED',
        currency: 'EUR',
        amount: '12345',
        fundedAmount: '12345',
        buyerRefund: '0',
        sellerPayout: '0',
        fee: '0',
        actor: { mspId: 'MarketAMSP', organization: 'MarketA', role: 'buyer' },
        txTime: '2030-01-03T00:00:00.000Z',
        details: {},
      },
    ]);
  });

  it('completes a review whose private data is missing with the escrow read from the ledger, without rewriting it', async () => {
    const record = escrowRecord('esc-r', { state: 'RELEASED' });
    const { asked, fallback } = ledgerHolding(record);

    const effects = await blockEffects(
      deliveredBlock(9, [{ ...reviewTx(record), privateDataDelivered: false }]),
      { ...options, fallback },
    );

    expect(asked).to.deep.equal(['esc-r']);
    expect(effects.escrows).to.have.length(0);
    expect(effects.reviews.map((r) => r.review)).to.deep.equal([review]);
    expect(effects.transitions.map((t) => [t.eventName, t.payload.amount])).to.deep.equal([
      ['ReviewPosted', '12345'],
    ]);
  });

  it('reads a plain block (no private data) through the chaincode too', async () => {
    const record = escrowRecord('esc-p', { state: 'FUNDED' });
    const { asked, fallback } = ledgerHolding(record);

    const effects = await blockEffects(
      parseBlock(buildBlock(4, [escrowTx('tx-p', 'PaymentConfirmed', record)])),
      {
        ...options,
        fallback,
      },
    );

    expect(asked).to.deep.equal(['esc-p']);
    expect(effects.escrows.map((e) => e.record.state)).to.deep.equal(['FUNDED']);
    expect(effects.transitions.map((t) => t.payload.actor)).to.deep.equal([
      { mspId: 'MarketAMSP', organization: 'MarketA', role: 'buyer' },
    ]);
  });

  it('sets aside a transaction whose event, private record or version it cannot read, and keeps the rest of the block', async () => {
    const odd = escrowRecord('esc-odd', { state: 'SHIPPED' });
    const terms = termsCollectionOf(odd);
    const badVersion = escrowTx('tx-bad-version', 'Shipped', escrowRecord('esc-v', { state: 'SHIPPED' }));
    const block = deliveredBlock(5, [
      { txId: 'tx-bad-event', event: { name: 'Shipped', payload: { escrowId: 'x' } } },
      {
        txId: 'tx-bad-record',
        privateWrites: [
          {
            collection: terms,
            key: compositeKey('escrow', 'esc-odd'),
            value: { escrowId: 'esc-odd', state: 'LIMBO' },
          },
        ],
        event: { name: 'Shipped', payload: publicEventPayload(odd) },
      },
      {
        ...badVersion,
        privateWrites: [
          {
            collection: terms,
            key: compositeKey('escrow~version', 'esc-v', 'tx-bad-version'),
            value: Buffer.from('{"docType":"escrowVersion",'),
          },
        ],
      },
      escrowTx('tx-good', 'EscrowCreated', escrowRecord('esc-good')),
    ]);

    const effects = await blockEffects(block, { ...options, fallback: noLedgerRead });

    expect(effects.unreadable.map((tx) => [tx.txId, tx.escrowIds])).to.deep.equal([
      ['tx-bad-event', []],
      ['tx-bad-record', ['esc-odd']],
      ['tx-bad-version', ['esc-v']],
    ]);
    expect(effects.unreadable.every((tx) => tx.reason.startsWith('CORRUPT_STATE: '))).to.equal(true);
    expect(effects.transitions.map((t) => t.txId)).to.deep.equal(['tx-good']);
    expect(effects.escrows.map((e) => e.record.escrowId)).to.deep.equal(['esc-good']);
  });

  it('sets aside a transaction whose version tells another event than the block', async () => {
    const record = escrowRecord('esc-x', { state: 'SHIPPED' });
    const tx = escrowTx('tx-x', 'Shipped', record);

    const effects = await blockEffects(
      deliveredBlock(5, [{ ...tx, event: { name: 'Released', payload: publicEventPayload(record) } }]),
      { ...options, fallback: noLedgerRead },
    );

    expect(effects.unreadable.map((u) => [u.txId, u.escrowIds, u.reason])).to.deep.equal([
      ['tx-x', ['esc-x'], 'CORRUPT_STATE: the version of escrow esc-x disagrees with the event'],
    ]);
    expect(effects.transitions).to.deep.equal([]);
  });

  it('still fails on an error that is not about the record, so the block is retried', async () => {
    const record = escrowRecord('esc-f', { state: 'SHIPPED' });
    const block = deliveredBlock(6, [
      { ...escrowTx('tx-f', 'Shipped', record), privateDataDelivered: false },
    ]);

    const outcome = await blockEffects(block, {
      ...options,
      fallback: () => Promise.reject(new Error('peer unavailable')),
    }).then(
      () => 'accepted',
      (error: unknown) => (error instanceof Error ? error.message : 'unknown'),
    );

    expect(outcome).to.equal('peer unavailable');
  });
});
