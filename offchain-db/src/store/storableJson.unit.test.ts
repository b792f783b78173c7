import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { blockEffects } from '../mirror/blockEffects';
import { deliveredBlock, escrowRecord, escrowTx } from '../testing/blockBuilder';
import { storableJson, storableText } from './storableJson';

describe('storableJson', () => {
  it('replaces U+0000 and lone surrogates with U+FFFD in strings and keys, counting each string once', () => {
    const stored = storableJson({
      description: 'Cam\u0000era\u0000',
      carrier: 'DH\uD800L',
      tail: 'x\uDC00',
      'key\u0000': ['ok', 'nul\u0000'],
    });

    expect(stored.value).to.deep.equal({
      description: 'Cam\uFFFDera\uFFFD',
      carrier: 'DH\uFFFDL',
      tail: 'x\uFFFD',
      'key\uFFFD': ['ok', 'nul\uFFFD'],
    });
    expect(stored.repaired).to.equal(5);
  });

  it('keeps ordinary text, paired surrogates (an emoji) and non-string values as they are', () => {
    const value = { text: 'Kamera 📷 für €', n: 3, flag: true, none: null, list: [1, 'a'] };

    expect(storableJson(value)).to.deep.equal({ value, repaired: 0 });
    expect(storableText('\uD83D\uDCF7')).to.equal('\uD83D\uDCF7');
  });

  it('turns a block whose escrow has U+0000 in an item, a carrier and a reason into JSON without it', async () => {
    const record = escrowRecord('esc-nul', {
      state: 'DISPUTED',
      items: [{ description: 'Camera\u0000', price: '12345' }],
      shipment: { carrier: 'DH\u0000L', trackingRef: 'T1', shippedAt: '2030-01-02T00:00:00.000Z' },
      dispute: { raisedAt: '2030-01-03T00:00:00.000Z', reason: 'broken\u0000', evidenceHashes: [] },
    });
    const tx = escrowTx('tx-nul', 'DisputeRaised', record, { reason: 'broken\u0000' });
    const effects = await blockEffects(deliveredBlock(4, [tx]), {
      chaincodeName: 'escrow',
      channel: 'marketplace',
      organization: OVERSIGHT,
    });
    // What the projection reads from the ledger still carries U+0000: the store must repair it.
    expect(JSON.stringify(effects.escrows[0]?.record)).to.contain('\\u0000');

    const rows = storableJson({
      escrows: effects.escrows.map((write) => write.record),
      outbox: effects.outbox.map((event) => event.message),
    });

    expect(JSON.stringify(rows.value)).not.to.contain('\\u0000');
    expect(rows.repaired).to.equal(4);
    expect(rows.value.escrows[0]?.items[0]?.description).to.equal('Camera\uFFFD');
  });
});
