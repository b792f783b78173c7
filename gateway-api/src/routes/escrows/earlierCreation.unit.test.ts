import { expect } from 'chai';
import type { EscrowRecord } from '../../fabric/escrowRecords';
import { createdFromRequest } from './earlierCreation';

const request = {
  buyer: { marketplace: 'MarketA', userId: 'alice' },
  seller: { marketplace: 'MarketB', userId: 'bea' },
  currency: 'EUR',
  feeBps: 250,
  items: [{ description: 'Camera', price: '12000' }],
  fundBy: '2026-12-01T10:00:00Z',
};

const created: EscrowRecord = {
  escrowId: 'e-1',
  state: 'CREATED',
  ...request,
  fundBy: '2026-12-01T10:00:00.000Z',
  amount: '12000',
  createdBy: { mspId: 'MarketAMSP', organization: 'MarketA', role: 'marketplace', userId: 'marketa-backend' },
};

describe('earlier creation of a resumed create', () => {
  it('recognises the escrow its own request created, instants compared as instants', () => {
    expect(createdFromRequest(created, request, 'marketa-backend')).to.equal(true);
  });

  it('refuses an escrow another caller created', () => {
    expect(createdFromRequest(created, request, 'marketb-backend')).to.equal(false);
  });

  it('refuses an escrow created from a different request', () => {
    expect(createdFromRequest(created, { ...request, feeBps: 100 }, 'marketa-backend')).to.equal(false);
    expect(
      createdFromRequest(created, { ...request, fundBy: '2026-12-02T10:00:00Z' }, 'marketa-backend'),
    ).to.equal(false);
  });
});
