// The chaincode layer's operation: one cross-marketplace escrow walked create → accept → fund →
// ship → confirmDelivery → release, each step signed by its own actor through its own org's peer.
import { TRANSACTIONS } from '@p2p-escrow/chaincode';
import { createProposal, escrowProposal, type EscrowProposal } from './escrowProposal';

export interface LifecycleStep {
  readonly identity: string;
  readonly org: 'MarketA' | 'MarketB';
  readonly proposal: EscrowProposal;
}

/** `request` is the create request; fundEscrow pays its amount, in EUR. */
export function lifecycleSteps(
  escrowId: string,
  request: Readonly<Record<string, unknown>>,
): LifecycleStep[] {
  const amount = request['amount'];
  if (typeof amount !== 'string') throw new Error('a lifecycle request names its amount');
  return [
    { identity: 'marketa-backend', org: 'MarketA', proposal: createProposal(escrowId, request) },
    { identity: 'bea', org: 'MarketB', proposal: escrowProposal(TRANSACTIONS.acceptEscrow, escrowId) },
    {
      identity: 'marketa-payments',
      org: 'MarketA',
      proposal: escrowProposal(TRANSACTIONS.fundEscrow, escrowId, {
        amount,
        currency: 'EUR',
        providerRef: `psp-${escrowId}`,
      }),
    },
    {
      identity: 'bea',
      org: 'MarketB',
      proposal: escrowProposal(TRANSACTIONS.shipEscrow, escrowId, {
        carrier: 'DHL',
        trackingRef: `trk-${escrowId}`,
      }),
    },
    { identity: 'alice', org: 'MarketA', proposal: escrowProposal(TRANSACTIONS.confirmDelivery, escrowId) },
    { identity: 'alice', org: 'MarketA', proposal: escrowProposal(TRANSACTIONS.releaseEscrow, escrowId) },
  ];
}
