// One reconciliation of a marketplace over a period: the provider's listing against the ledger's
// fundings and settlements of the marketplace's escrows. Shared by the command and the worker's
// scheduled run.
import type { Escrow } from '@p2p-escrow/chaincode';
import type { PaymentProvider, Period } from '../port/paymentProvider';
import { ledgerMovementsOf, reconcile, type ReconciliationReport } from './providerReconciliation';

/** The ledger's side: every escrow of the marketplace's trades, as its payments identity reads them. */
export interface EscrowListing {
  escrowsOf(marketplace: string): Promise<Escrow[]>;
}

export async function runReconciliation(
  provider: Pick<PaymentProvider, 'listActivity'>,
  ledger: EscrowListing,
  marketplace: string,
  period: Period,
): Promise<ReconciliationReport> {
  const [activity, escrows] = await Promise.all([
    provider.listActivity(period),
    ledger.escrowsOf(marketplace),
  ]);
  return reconcile(marketplace, period, activity, ledgerMovementsOf(escrows, marketplace, period));
}
