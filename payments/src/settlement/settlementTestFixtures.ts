// A resolved same-marketplace escrow (refund 4000, payout 5850, fee 150 of 10000 EUR) that the
// settlement worker's unit tests settle; `suffix` keeps each test file's ids its own.
import type { Escrow } from '@p2p-escrow/chaincode';

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
  } as unknown as Escrow;
}
