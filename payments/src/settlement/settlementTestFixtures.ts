// A resolved same-marketplace escrow (refund 4000, payout 5850, fee 150 of 10000 EUR) that the
// settlement worker's unit tests settle, and a three-item one moving per item; `suffix` keeps each
// test file's ids its own.
import type { Escrow } from '@p2p-escrow/chaincode';
import { itemFixture } from '@p2p-escrow/testkit';

export const paymentsActor = {
  organization: 'MarketA',
  mspId: 'MarketAMSP',
  role: 'payments',
  userId: 'p',
} as const;

export function resolvedEscrowFixture(suffix: string): Escrow {
  return {
    escrowId: `esc-${suffix}`,
    state: 'RESOLVED',
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketA', userId: 'amir' },
    currency: 'EUR',
    fundedAmount: '10000',
    buyerRefund: '4000',
    sellerPayout: '5850',
    fee: '150',
    funding: { providerRef: `pi_${suffix}`, fundedAt: '2026-11-30T00:00:00.000Z', fundedBy: paymentsActor },
    settlements: { buyer: null, seller: null },
    riskFlags: [],
    itemLifecycles: null,
  } as unknown as Escrow;
}

/**
 * Three milestones of 10 000, 15 000 and 5 000 EUR cents (2.5 % fee, the seller's) bought on one
 * marketplace: item 0 released (payout 9 750, fee 250), items 1 and 2 still open.
 */
export function threeItemEscrowFixture(suffix: string): Escrow {
  return {
    ...resolvedEscrowFixture(suffix),
    state: 'FUNDED',
    amount: '30000',
    fundedAmount: '30000',
    feeBps: 250,
    buyerFeeShareBps: 0,
    buyerFee: '0',
    buyerRefund: '0',
    sellerPayout: '0',
    fee: '0',
    items: [
      { description: 'Design', price: '10000' },
      { description: 'Build', price: '15000' },
      { description: 'Handover', price: '5000' },
    ],
    itemLifecycles: [
      itemFixture('RELEASED', { buyerRefund: '0', sellerPayout: '9750', fee: '250' }),
      itemFixture('SHIPPED'),
      itemFixture('FUNDED'),
    ],
  } as Escrow;
}
