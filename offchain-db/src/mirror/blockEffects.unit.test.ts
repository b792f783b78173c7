import { escrowFromBytes } from '@p2p-escrow/chaincode';
import { parseBlock } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { buildBlock, compositeKey, escrowRecord, escrowTx, eventPayload } from '../testing/blockBuilder';
import { blockEffects } from './blockEffects';

const options = { chaincodeName: 'escrow', channel: 'marketplace' };
const MVCC_READ_CONFLICT = 11;

describe('blockEffects', () => {
  it('keeps only valid transactions of the escrow chaincode', async () => {
    const record = escrowRecord('esc-1');
    const block = buildBlock(7, [
      escrowTx('tx-valid', 'EscrowCreated', record),
      { ...escrowTx('tx-mvcc', 'EscrowCreated', escrowRecord('esc-2')), validationCode: MVCC_READ_CONFLICT },
      { txId: 'tx-lifecycle', chaincode: '_lifecycle', writes: [{ key: 'namespaces/x', value: {} }] },
      { ...escrowTx('tx-other', 'EscrowCreated', escrowRecord('esc-3')), chaincode: 'basic' },
      { txId: 'tx-config', config: true },
    ]);

    const effects = await blockEffects(parseBlock(block), options);

    expect(effects.blockNumber).to.equal(7n);
    expect(effects.transitions.map((t) => t.txId)).to.deep.equal(['tx-valid']);
    expect(effects.escrows.map((e) => e.record.escrowId)).to.deep.equal(['esc-1']);
    expect(effects.outbox.map((e) => e.eventId)).to.deep.equal(['tx-valid:0']);
  });

  it('maps an escrow write and its event to a row, a transition and an outbox event keyed by escrow', async () => {
    const record = escrowRecord('esc-9', {
      state: 'FUNDED',
      fundedAmount: '12345',
      updatedAt: '2030-01-01T01:00:00.000Z',
    });
    const block = buildBlock(3, [
      { txId: 'filler', chaincode: 'qscc' },
      escrowTx('tx-fund', 'PaymentConfirmed', record),
    ]);

    const effects = await blockEffects(parseBlock(block), options);

    const [write] = effects.escrows;
    expect(write?.record).to.include({
      escrowId: 'esc-9',
      state: 'FUNDED',
      fundedAmount: '12345',
      amount: '12345',
    });
    expect(write?.record.buyer).to.deep.equal({ marketplace: 'MarketA', userId: 'alice' });
    expect(write?.txId).to.equal('tx-fund');
    const [transition] = effects.transitions;
    expect(transition).to.include({
      escrowId: 'esc-9',
      txIndex: 1,
      eventIndex: 0,
      eventName: 'PaymentConfirmed',
    });
    const [event] = effects.outbox;
    expect(event).to.include({ eventId: 'tx-fund:0', eventType: 'PaymentConfirmed', key: 'esc-9' });
    expect(event?.message).to.include({ blockNumber: '3', txId: 'tx-fund', type: 'PaymentConfirmed' });
  });

  it('records a review without rewriting the escrow', async () => {
    const record = escrowRecord('esc-r', { state: 'RELEASED' });
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
    const block = buildBlock(9, [
      {
        txId: 'tx-review',
        writes: [{ key: compositeKey('review', 'MarketB', 'bea', 'esc-r'), value: review }],
        event: { name: 'ReviewPosted', payload: eventPayload(record, { rating: 5 }) },
      },
    ]);

    const effects = await blockEffects(parseBlock(block), {
      ...options,
      fallback: () => Promise.reject(new Error('a review needs no escrow read')),
    });

    expect(effects.escrows).to.have.length(0);
    expect(effects.reviews.map((r) => r.review)).to.deep.equal([
      {
        docType: 'review',
        escrowId: 'esc-r',
        reviewer: 'buyer',
        reviewerUserId: 'alice',
        subject: { marketplace: 'MarketB', userId: 'bea' },
        rating: 5,
        textHash: 'a'.repeat(64),
        postedAt: '2030-01-05T00:00:00.000Z',
      },
    ]);
    expect(effects.transitions.map((t) => t.eventName)).to.deep.equal(['ReviewPosted']);
  });

  it('reads the escrow from the ledger only when a transition wrote no escrow record', async () => {
    const record = escrowRecord('esc-f', { state: 'SHIPPED' });
    const block = buildBlock(4, [
      { txId: 'tx-bare', event: { name: 'Shipped', payload: eventPayload(record) } },
    ]);
    const asked: string[] = [];

    const effects = await blockEffects(parseBlock(block), {
      ...options,
      fallback: (escrowId) => {
        asked.push(escrowId);
        return Promise.resolve(escrowFromBytes(Buffer.from(JSON.stringify(record))));
      },
    });

    expect(asked).to.deep.equal(['esc-f']);
    expect(effects.escrows.map((e) => e.record.state)).to.deep.equal(['SHIPPED']);
  });

  it('sets aside a transaction whose event or record it cannot read and keeps the rest of the block', async () => {
    const block = buildBlock(5, [
      { txId: 'tx-bad-event', event: { name: 'Shipped', payload: { escrowId: 'x' } } },
      {
        txId: 'tx-bad-record',
        writes: [{ key: compositeKey('escrow', 'esc-odd'), value: { escrowId: 'esc-odd', state: 'LIMBO' } }],
        event: { name: 'Shipped', payload: eventPayload(escrowRecord('esc-odd', { state: 'SHIPPED' })) },
      },
      escrowTx('tx-good', 'EscrowCreated', escrowRecord('esc-good')),
    ]);

    const effects = await blockEffects(parseBlock(block), options);

    expect(effects.unreadable.map((tx) => [tx.txId, tx.escrowIds])).to.deep.equal([
      ['tx-bad-event', []],
      ['tx-bad-record', ['esc-odd']],
    ]);
    expect(effects.unreadable.every((tx) => tx.reason.startsWith('CORRUPT_STATE: '))).to.equal(true);
    expect(effects.transitions.map((t) => t.txId)).to.deep.equal(['tx-good']);
    expect(effects.escrows.map((e) => e.record.escrowId)).to.deep.equal(['esc-good']);
  });

  it('still fails on an error that is not about the record, so the block is retried', async () => {
    const payload = eventPayload(escrowRecord('esc-f', { state: 'SHIPPED' }));
    const block = buildBlock(6, [{ txId: 'tx-f', event: { name: 'Shipped', payload } }]);

    const outcome = await blockEffects(parseBlock(block), {
      ...options,
      fallback: () => Promise.reject(new Error('peer unavailable')),
    }).then(
      () => 'accepted',
      (error: unknown) => (error instanceof Error ? error.message : 'unknown'),
    );

    expect(outcome).to.equal('peer unavailable');
  });
});
