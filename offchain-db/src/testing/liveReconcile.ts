// The reconciler against the live ledger, as the `reconcile` command runs it.
import { offchainCommandEnv } from '@p2p-escrow/scripts/dist/offchain/offchainServices';
import type { Pool } from 'pg';
import { fabricConfig } from '../config/offchainConfig';
import { FabricLedger } from '../ledger/fabricLedger';
import { PgReconcileStore } from '../reconcile/pgReconcileStore';
import { reconcile, type ReconcileReport } from '../reconcile/reconcile';
import { CHANNEL } from './liveOffchain';

export async function reconcileLive(pool: Pool): Promise<ReconcileReport> {
  const ledger = new FabricLedger(fabricConfig(offchainCommandEnv()));
  try {
    return await reconcile(ledger, new PgReconcileStore(pool), {
      channel: CHANNEL,
      marketplaces: ['MarketA', 'MarketB'],
      concurrency: 16,
      catchUpTimeoutMs: 60_000,
    });
  } finally {
    ledger.close();
  }
}
