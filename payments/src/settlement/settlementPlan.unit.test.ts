import type { Escrow, EscrowState } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { sellerPayoutRoute, settlementPlan } from './settlementPlan';
import { itemFixture } from '@p2p-escrow/testkit';

const actor = {
  organization: 'MarketA',
  mspId: 'MarketAMSP',
  role: 'payments',
  userId: 'marketa-payments',
} as const;

/** A funded escrow of 10 000 cents between `buyer` and `seller` ended in `state` with the given split. */
function escrow(
  state: EscrowState,
  split: { buyerRefund: string; sellerPayout: string; fee: string },
  parties: { buyer?: string; seller?: string } = {},
): Escrow {
  return {
    docType: 'escrow',
    escrowId: 'esc-1',
    state,
    buyer: { marketplace: parties.buyer ?? 'MarketA', userId: 'alice' },
    seller: { marketplace: parties.seller ?? 'MarketA', userId: 'amir' },
    currency: 'EUR',
    amount: '10000',
    feeBps: 250,
    buyerFeeShareBps: 0,
    buyerFee: '0',
    items: [{ description: 'Camera', price: '10000' }],
    acceptBy: null,
    fundBy: '2026-12-01T00:00:00.000Z',
    shipBy: '2026-12-07T00:00:00.000Z',
    inspectionPeriodSeconds: 3600,
    deliveryPeriodSeconds: null,
    deliverBy: null,
    createdAt: '2026-11-30T00:00:00.000Z',
    createdBy: actor,
    updatedAt: '2026-11-30T01:00:00.000Z',
    fundedAmount: '10000',
    ...split,
    acceptance: null,
    termsChange: null,
    funding: { providerRef: 'pi_1', fundedAt: '2026-11-30T00:10:00.000Z', fundedBy: actor },
    shipment: null,
    delivery: null,
    offers: [],
    dispute: null,
    closure: null,
    settlements: { buyer: null, seller: null },
    riskFlags: [],
    privateDetails: null,
    itemLifecycles: null,
  } as Escrow;
}

const isPayment = (reference: string) => reference.startsWith('pi_');
const released = { buyerRefund: '0', sellerPayout: '9750', fee: '250' };
const resolved = { buyerRefund: '4000', sellerPayout: '5850', fee: '150' };
const refunded = { buyerRefund: '10000', sellerPayout: '0', fee: '0' };
const recorded = { amount: '1', providerRef: 'x', recordedAt: '2026-11-30T02:00:00.000Z', recordedBy: actor };

describe('the settlement plan of a terminal escrow', () => {
  it('pays a released escrow’s seller on the same marketplace directly, the fee kept', () => {
    const plan = settlementPlan(escrow('RELEASED', released), 'MarketA', isPayment);
    expect(plan).to.deep.equal({
      kind: 'owed',
      escrowId: 'esc-1',
      currency: 'EUR',
      movements: [{ kind: 'payout', payee: 'seller', amountMinor: 9750n, sellerId: 'amir' }],
      obligation: undefined,
      payoutHeld: false,
    });
  });

  it('holds the seller’s payout (or obligation) of a held escrow and still refunds its buyer', () => {
    const hold = {
      rule: 'velocity.buyer-1h',
      reasonCode: 'VELOCITY_BUYER',
      severity: 'high',
      action: 'hold',
      raisedAt: '2026-11-30T01:00:00.000Z',
      raisedBy: actor,
      clearedAt: null,
      clearedBy: null,
      clearReason: null,
    } as const;
    const held = { ...escrow('RESOLVED', resolved), riskFlags: [hold] };
    expect(settlementPlan(held, 'MarketA', isPayment)).to.deep.include({
      movements: [{ kind: 'refund', payee: 'buyer', amountMinor: 4000n, paymentId: 'pi_1' }],
      obligation: undefined,
      payoutHeld: true,
    });
    const across = {
      ...escrow('RELEASED', released, { buyer: 'MarketA', seller: 'MarketB' }),
      riskFlags: [hold],
    };
    expect(settlementPlan(across, 'MarketA', isPayment)).to.deep.include({
      obligation: undefined,
      payoutHeld: true,
    });
    const cleared = {
      ...held,
      riskFlags: [{ ...hold, clearedAt: '2026-11-30T02:00:00.000Z', clearedBy: actor, clearReason: 'ok' }],
    };
    expect(settlementPlan(cleared, 'MarketA', isPayment)).to.deep.include({ payoutHeld: false });
  });

  it('refunds the buyer’s part of a resolved dispute against the payment, then pays the seller’s', () => {
    const plan = settlementPlan(escrow('RESOLVED', resolved), 'MarketA', isPayment);
    expect(plan.kind === 'owed' && plan.movements).to.deep.equal([
      { kind: 'refund', payee: 'buyer', amountMinor: 4000n, paymentId: 'pi_1' },
      { kind: 'payout', payee: 'seller', amountMinor: 5850n, sellerId: 'amir' },
    ]);
  });

  for (const state of ['CANCELLED', 'REFUNDED'] as const)
    it(`refunds the whole payment of a funded escrow ${state}`, () => {
      const plan = settlementPlan(escrow(state, refunded), 'MarketA', isPayment);
      expect(plan.kind === 'owed' && plan.movements).to.deep.equal([
        { kind: 'refund', payee: 'buyer', amountMinor: 10000n, paymentId: 'pi_1' },
      ]);
    });

  it('owes nothing for an escrow cancelled before funding', () => {
    const unfunded = {
      ...escrow('CANCELLED', { buyerRefund: '0', sellerPayout: '0', fee: '0' }),
      funding: null,
    };
    const plan = settlementPlan({ ...unfunded, fundedAmount: '0' }, 'MarketA', isPayment);
    expect(plan.kind === 'owed' && plan.movements).to.deep.equal([]);
  });

  it('skips what the ledger already records, so a replayed event pays nothing twice', () => {
    const once = { ...escrow('RESOLVED', resolved), settlements: { buyer: recorded, seller: null } };
    expect(settlementPlan(once, 'MarketA', isPayment)).to.deep.include({
      movements: [{ kind: 'payout', payee: 'seller', amountMinor: 5850n, sellerId: 'amir' }],
    });
    const both = { ...once, settlements: { buyer: recorded, seller: recorded } };
    expect(settlementPlan(both, 'MarketA', isPayment)).to.deep.include({ movements: [] });
  });

  it('leaves an escrow another marketplace collected to that marketplace', () => {
    expect(
      settlementPlan(
        escrow('RELEASED', released, { buyer: 'MarketB', seller: 'MarketA' }),
        'MarketA',
        isPayment,
      ),
    ).to.deep.equal({ kind: 'not-collected-here' });
  });

  it('leaves an escrow funded outside the provider to the marketplace that recorded it', () => {
    const claimed = {
      ...escrow('RELEASED', released),
      funding: { providerRef: 'bank-123', fundedAt: '', fundedBy: actor },
    };
    expect(settlementPlan(claimed, 'MarketA', isPayment)).to.deep.equal({ kind: 'collected-elsewhere' });
  });

  it('owes nothing for an escrow that is not over', () => {
    expect(
      settlementPlan(
        escrow('DELIVERED', { buyerRefund: '0', sellerPayout: '0', fee: '0' }),
        'MarketA',
        isPayment,
      ),
    ).to.deep.equal({
      kind: 'open',
    });
  });
});

describe('the settlement plan of an escrow moving per item', () => {
  const item = itemFixture;
  const open = { buyerRefund: '0', sellerPayout: '0', fee: '0' };
  const split = (parties: { buyer?: string; seller?: string } = {}): Escrow => ({
    ...escrow('FUNDED', open, parties),
    items: [
      { description: 'Design', price: '6000' },
      { description: 'Build', price: '4000' },
    ],
    itemLifecycles: [
      item('RESOLVED', { buyerRefund: '1000', sellerPayout: '4875', fee: '125' }),
      item('FUNDED'),
    ],
  });

  it('owes an ended item its own refund and payout while the other is open, each naming the item', () => {
    expect(settlementPlan(split(), 'MarketA', isPayment)).to.deep.include({
      movements: [
        { kind: 'refund', payee: 'buyer', amountMinor: 1000n, paymentId: 'pi_1', item: 0 },
        { kind: 'payout', payee: 'seller', amountMinor: 4875n, sellerId: 'amir', item: 0 },
      ],
      obligation: undefined,
      payoutHeld: false,
    });
  });

  it('owes nothing before any item ended, nor what an item or (recorded before) the whole holds', () => {
    const none = { ...split(), itemLifecycles: [item('FUNDED'), item('FUNDED')] };
    expect(settlementPlan(none, 'MarketA', isPayment)).to.deep.equal({ kind: 'open' });
    const [first, second] = split().itemLifecycles ?? [];
    if (first === undefined || second === undefined) throw new Error('two items');
    const paidItem = { ...first, settlements: { buyer: recorded, seller: null } };
    expect(
      settlementPlan({ ...split(), itemLifecycles: [paidItem, second] }, 'MarketA', isPayment),
    ).to.deep.include({
      movements: [{ kind: 'payout', payee: 'seller', amountMinor: 4875n, sellerId: 'amir', item: 0 }],
    });
    const wholeRecorded = { ...split(), settlements: { buyer: recorded, seller: recorded } };
    expect(settlementPlan(wholeRecorded, 'MarketA', isPayment)).to.deep.include({ movements: [] });
  });

  it('refunds an item across marketplaces at once, and owes the seller’s marketplace the whole once it ends', () => {
    const across = split({ buyer: 'MarketA', seller: 'MarketB' });
    expect(settlementPlan(across, 'MarketA', isPayment)).to.deep.include({
      movements: [{ kind: 'refund', payee: 'buyer', amountMinor: 1000n, paymentId: 'pi_1', item: 0 }],
      obligation: undefined,
    });
    const ended = {
      ...across,
      state: 'RESOLVED' as const,
      buyerRefund: '1000',
      sellerPayout: '8775',
      fee: '225',
      itemLifecycles: [
        item('RESOLVED', { buyerRefund: '1000', sellerPayout: '4875', fee: '125' }),
        item('RELEASED', { buyerRefund: '0', sellerPayout: '3900', fee: '100' }),
      ],
    };
    const plan = settlementPlan(ended, 'MarketA', isPayment);
    expect(plan.kind === 'owed' && plan.obligation).to.deep.include({
      creditor: 'MarketB',
      amountMinor: 8775n,
    });
  });
});

describe('direct payout or obligation between marketplaces', () => {
  it('pays a seller of the collecting marketplace directly', () => {
    expect(
      sellerPayoutRoute({
        buyer: { marketplace: 'MarketB', userId: 'bob' },
        seller: { marketplace: 'MarketB', userId: 'bea' },
      }),
    ).to.equal('direct-payout');
  });

  it('owes a seller of another marketplace’s part to that marketplace, and pays them nothing itself', () => {
    const plan = settlementPlan(
      escrow('RESOLVED', resolved, { buyer: 'MarketA', seller: 'MarketB' }),
      'MarketA',
      isPayment,
    );
    expect(plan.kind === 'owed' && plan.movements).to.deep.equal([
      { kind: 'refund', payee: 'buyer', amountMinor: 4000n, paymentId: 'pi_1' },
    ]);
    expect(plan.kind === 'owed' && plan.obligation).to.deep.equal({
      escrowId: 'esc-1',
      debtor: 'MarketA',
      creditor: 'MarketB',
      sellerId: 'amir',
      amountMinor: 5850n,
      currency: 'EUR',
    });
  });
});
