import type { Escrow, Settlement } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { itemFixture } from '@p2p-escrow/testkit';
import type { GatewayRole, Principal } from '../../auth/principal';
import { ApiError } from '../../errors/apiError';
import { requireVisible } from './escrowAccess';
import { payoutViewOf, type PayoutView } from './payoutView';

const payments = { mspId: 'MarketBMSP', organization: 'MarketB', role: 'payments', userId: 'p' } as const;
const AT = '2030-01-03T00:00:00.000Z';

function settled(providerRef: string, amount: string): Settlement {
  return { amount, providerRef, recordedAt: AT, recordedBy: payments };
}

const item = itemFixture;

/**
 * Three milestones of 10 000, 15 000 and 5 000 EUR cents bought on MarketB (2.5 % fee, the
 * seller's): item 0 released and paid (9 750, fee 250); item 1 resolved with 6 000 refunded and its
 * payout of 8 775 (fee 225) not recorded yet; item 2 still open.
 */
function splitEscrow(overrides: Partial<Escrow> = {}): Escrow {
  return {
    docType: 'escrow',
    escrowId: 'esc-items',
    state: 'FUNDED',
    buyer: { marketplace: 'MarketB', userId: 'bob' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    amount: '30000',
    feeBps: 250,
    buyerFeeShareBps: 0,
    buyerFee: '0',
    items: [
      { description: 'Design', price: '10000' },
      { description: 'Build', price: '15000' },
      { description: 'Handover', price: '5000' },
    ],
    acceptBy: '2030-01-01T12:00:00.000Z',
    fundBy: '2030-01-02T00:00:00.000Z',
    shipBy: '2030-01-08T00:00:00.000Z',
    inspectionPeriodSeconds: 3600,
    deliveryPeriodSeconds: null,
    deliverBy: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    createdBy: {
      mspId: 'MarketBMSP',
      organization: 'MarketB',
      role: 'marketplace',
      userId: 'marketb-backend',
    },
    updatedAt: AT,
    fundedAmount: '30000',
    buyerRefund: '0',
    sellerPayout: '0',
    fee: '0',
    acceptance: null,
    termsChange: null,
    funding: { providerRef: 'pi_items', fundedAt: '2030-01-01T01:00:00.000Z', fundedBy: payments },
    shipment: null,
    delivery: null,
    dispute: null,
    offers: [],
    closure: null,
    settlements: { buyer: null, seller: null },
    privateDetails: null,
    itemLifecycles: [
      item(
        'RELEASED',
        { buyerRefund: '0', sellerPayout: '9750', fee: '250' },
        {
          buyer: null,
          seller: settled('tr_item0', '9750'),
        },
      ),
      item(
        'RESOLVED',
        { buyerRefund: '6000', sellerPayout: '8775', fee: '225' },
        {
          buyer: settled('re_item1', '6000'),
          seller: null,
        },
      ),
      item('FUNDED'),
    ],
    riskFlags: [],
    ...overrides,
  };
}

/** Every unit of the funding is refunded, paid out, owed, a fee, or in an open item. */
function expectAccounted(view: PayoutView): void {
  const totals = view.totals;
  if (totals === undefined) throw new Error('no totals');
  const parts = [totals.refunded, totals.paidOut, totals.owed, totals.fees, totals.open];
  expect(parts.reduce((sum, part) => sum + BigInt(part), 0n)).to.equal(BigInt(totals.funded));
}

function principal(userId: string, marketplace: string, roles: GatewayRole[]): Principal {
  return { subject: `sub-${userId}`, userId, clientId: 'escrow-web', marketplace, roles: new Set(roles) };
}

describe('the payout view', () => {
  it("lists each ended item's refund and payout with its status, and totals that account for the funding", () => {
    const view = payoutViewOf(splitEscrow(), undefined);
    expect(view.itemSettlements).to.deep.equal([
      {
        item: 0,
        payee: 'seller',
        kind: 'payout',
        amount: '9750',
        status: 'paid',
        providerRef: 'tr_item0',
        recordedAt: AT,
      },
      {
        item: 1,
        payee: 'buyer',
        kind: 'refund',
        amount: '6000',
        status: 'paid',
        providerRef: 're_item1',
        recordedAt: AT,
      },
      { item: 1, payee: 'seller', kind: 'payout', amount: '8775', status: 'owed' },
    ]);
    expect(view.totals).to.deep.equal({
      funded: '30000',
      refunded: '6000',
      paidOut: '9750',
      owed: '8775',
      fees: '475',
      open: '5000',
    });
    expectAccounted(view);
    // The payout as a whole is the ended items' payouts, owed while one of them is.
    expect(view).to.deep.include({ amount: '18525', currency: 'EUR', status: 'owed' });
    expect(view).not.to.have.property('providerRef');
  });

  it("shows an item's payout held by the seller's marketplace's gate as pending with its reason", () => {
    const held = { reason: 'SELLER_NOT_VERIFIED', pendingSince: new Date('2030-01-03T01:00:00.000Z') };
    const view = payoutViewOf(splitEscrow(), held);
    const pending = {
      status: 'pending',
      reason: 'SELLER_NOT_VERIFIED',
      pendingSince: '2030-01-03T01:00:00.000Z',
    };
    expect(view.itemSettlements?.[2]).to.deep.equal({
      item: 1,
      payee: 'seller',
      kind: 'payout',
      amount: '8775',
      ...pending,
    });
    // The gate holds only what is unpaid: the paid item stays paid.
    expect(view.itemSettlements?.[0]).to.deep.include({ status: 'paid' });
    expect(view).to.deep.include(pending);
    expect(view.totals?.owed).to.equal('8775');
  });

  it('is paid once every ended item is, and names no single provider reference for the whole', () => {
    const escrow = splitEscrow();
    const [first, second] = escrow.itemLifecycles ?? [];
    if (first === undefined || second === undefined) throw new Error('fixture');
    const view = payoutViewOf(
      splitEscrow({
        state: 'RESOLVED',
        buyerRefund: '6000',
        sellerPayout: '23400',
        fee: '600',
        itemLifecycles: [
          first,
          { ...second, settlements: { ...second.settlements, seller: settled('tr_item1', '8775') } },
          item(
            'RELEASED',
            { buyerRefund: '0', sellerPayout: '4875', fee: '125' },
            {
              buyer: null,
              seller: settled('tr_item2', '4875'),
            },
          ),
        ],
      }),
      undefined,
    );
    expect(view).to.deep.include({ amount: '23400', status: 'paid' });
    expect(view).not.to.have.property('providerRef');
    expect(view.itemSettlements?.map((entry) => [entry.item, entry.kind, entry.status])).to.deep.equal([
      [0, 'payout', 'paid'],
      [1, 'refund', 'paid'],
      [1, 'payout', 'paid'],
      [2, 'payout', 'paid'],
    ]);
    expect(view.totals).to.deep.include({
      refunded: '6000',
      paidOut: '23400',
      owed: '0',
      fees: '600',
      open: '0',
    });
    expectAccounted(view);
  });

  it('owes nothing before any item ended: every funded unit is in open items', () => {
    const view = payoutViewOf(
      splitEscrow({ itemLifecycles: [item('SHIPPED'), item('DISPUTED'), item('FUNDED')] }),
      undefined,
    );
    expect(view).to.deep.include({ amount: '0', status: 'none', itemSettlements: [] });
    expect(view.totals).to.deep.equal({
      funded: '30000',
      refunded: '0',
      paidOut: '0',
      owed: '0',
      fees: '0',
      open: '30000',
    });
  });

  it("shows a seller of another marketplace paid by statement for the whole escrow on each item's payout", () => {
    const escrow = splitEscrow();
    const [first, second] = escrow.itemLifecycles ?? [];
    if (first === undefined || second === undefined) throw new Error('fixture');
    const ended = {
      buyer: { marketplace: 'MarketA', userId: 'alice' },
      state: 'RESOLVED',
      itemLifecycles: [
        { ...first, settlements: { buyer: null, seller: null } },
        second,
        item('REFUNDED', { buyerRefund: '5000', sellerPayout: '0', fee: '0' }),
      ],
    } as const;
    const owed = payoutViewOf(splitEscrow(ended), undefined);
    expect(owed).to.deep.include({ amount: '18525', status: 'owed' });
    expect(
      owed.itemSettlements?.filter((entry) => entry.kind === 'payout').map((entry) => entry.status),
    ).to.deep.equal(['owed', 'owed']);
    expectAccounted(owed);
    const statement = settled('tr_statement', '18525');
    const paid = payoutViewOf(
      splitEscrow({ ...ended, settlements: { buyer: null, seller: statement } }),
      undefined,
    );
    expect(paid).to.deep.include({ amount: '18525', status: 'paid', providerRef: 'tr_statement' });
    expect(paid.itemSettlements?.filter((entry) => entry.kind === 'payout')).to.deep.equal([
      {
        item: 0,
        payee: 'seller',
        kind: 'payout',
        amount: '9750',
        status: 'paid',
        providerRef: 'tr_statement',
        recordedAt: AT,
      },
      {
        item: 1,
        payee: 'seller',
        kind: 'payout',
        amount: '8775',
        status: 'paid',
        providerRef: 'tr_statement',
        recordedAt: AT,
      },
    ]);
    expect(
      paid.itemSettlements?.filter((entry) => entry.kind === 'refund').map((entry) => entry.status),
    ).to.deep.equal(['paid', 'owed']);
    expectAccounted(paid);
  });

  it('answers an escrow that never moved per item as before, without items or totals', () => {
    const whole = splitEscrow({
      itemLifecycles: null,
      state: 'RELEASED',
      sellerPayout: '29250',
      fee: '750',
      settlements: { buyer: null, seller: settled('tr_whole', '29250') },
    });
    expect(payoutViewOf(whole, undefined)).to.deep.equal({
      escrowId: 'esc-items',
      seller: { marketplace: 'MarketB', userId: 'bea' },
      amount: '29250',
      currency: 'EUR',
      status: 'paid',
      providerRef: 'tr_whole',
    });
    const open = {
      ...whole,
      state: 'SHIPPED',
      sellerPayout: '0',
      settlements: { buyer: null, seller: null },
    } as const;
    expect(payoutViewOf(open, undefined)).to.deep.include({ status: 'none' });
    const held = { reason: 'SELLER_NOT_VERIFIED', pendingSince: new Date(AT) };
    expect(payoutViewOf({ ...open, state: 'RELEASED', sellerPayout: '29250' }, held)).to.deep.include({
      status: 'pending',
      reason: 'SELLER_NOT_VERIFIED',
    });
    expect(payoutViewOf({ ...open, state: 'RELEASED', sellerPayout: '29250' }, undefined)).to.deep.include({
      status: 'owed',
    });
  });

  it("may not be read by another marketplace's party or backend (403 ESCROW_ACCESS_DENIED)", () => {
    const escrow = splitEscrow();
    for (const outsider of [
      principal('alice', 'MarketA', ['buyer']),
      principal('amir', 'MarketA', ['seller']),
      principal('marketa-backend', 'MarketA', ['marketplace', 'payments']),
    ]) {
      expect(() => {
        requireVisible(outsider, escrow);
      })
        .to.throw(ApiError)
        .that.deep.includes({ status: 403, code: 'ESCROW_ACCESS_DENIED' });
    }
    for (const reader of [
      principal('bob', 'MarketB', ['buyer']),
      principal('bea', 'MarketB', ['seller']),
      principal('marketb-backend', 'MarketB', ['marketplace']),
    ])
      requireVisible(reader, escrow);
  });
});
