import { expect } from 'chai';
import { EscrowPartiesCache } from './escrowPartiesCache';

const escrow = (escrowId: string) => ({
  escrowId,
  buyer: { marketplace: 'MarketA', userId: 'alice' },
  seller: { marketplace: 'MarketB', userId: 'bea' },
  state: 'FUNDED',
  amount: '100',
});

describe('escrow parties cache', () => {
  it('keeps only the id and the parties of a record', () => {
    const cache = new EscrowPartiesCache(10);
    cache.remember(escrow('e-1'));
    expect(cache.get('e-1')).to.deep.equal({
      escrowId: 'e-1',
      buyer: { marketplace: 'MarketA', userId: 'alice' },
      seller: { marketplace: 'MarketB', userId: 'bea' },
    });
    expect(cache.get('e-2')).to.equal(undefined);
  });

  it('drops the least recently used escrow beyond its capacity', () => {
    const cache = new EscrowPartiesCache(2);
    cache.remember(escrow('e-1'));
    cache.remember(escrow('e-2'));
    cache.get('e-1');
    cache.remember(escrow('e-3'));
    expect([cache.get('e-1'), cache.get('e-2'), cache.get('e-3')].map((p) => p?.escrowId)).to.deep.equal([
      'e-1',
      undefined,
      'e-3',
    ]);
    expect(cache.size).to.equal(2);
  });
});
