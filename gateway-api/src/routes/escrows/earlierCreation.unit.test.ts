import type { Escrow } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { createdFromRequest } from './earlierCreation';

const request = {
  buyer: { marketplace: 'MarketA' as const, userId: 'alice' },
  seller: { marketplace: 'MarketB' as const, userId: 'bea' },
  currency: 'EUR' as const,
  feeBps: 250,
  items: [{ description: 'Camera', price: '12000' }],
  fundBy: '2026-12-01T10:00:00Z',
};

const created: Escrow = {
  docType: 'escrow',
  escrowId: 'e-1',
  state: 'PROPOSED',
  ...request,
  acceptBy: '2026-12-01T10:00:00.000Z',
  fundBy: '2026-12-01T10:00:00.000Z',
  shipBy: '2026-12-08T10:00:00.000Z',
  inspectionPeriodSeconds: 3600,
  buyerFeeShareBps: 0,
  buyerFee: '0',
  deliveryPeriodSeconds: null,
  deliverBy: null,
  amount: '12000',
  createdAt: '2026-11-30T10:00:00.000Z',
  createdBy: { mspId: 'MarketAMSP', organization: 'MarketA', role: 'marketplace', userId: 'marketa-backend' },
  updatedAt: '2026-11-30T10:00:00.000Z',
  fundedAmount: '0',
  buyerRefund: '0',
  sellerPayout: '0',
  fee: '0',
  acceptance: null,
  termsChange: null,
  funding: null,
  shipment: null,
  delivery: null,
  dispute: null,
  offers: [],
  closure: null,
  settlements: { buyer: null, seller: null },
  privateDetails: null,
  itemLifecycles: null,
  riskFlags: [],
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
