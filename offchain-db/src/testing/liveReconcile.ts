// The reconciler against the live ledger, as the `reconcile` command runs it.
import { offchainCommandEnv } from '@p2p-escrow/scripts';
import type { Pool } from 'pg';
import { reconcileConfig } from '../config/offchainConfig';
import { ProjectionLedger } from '../ledger/projectionLedger';
import { PgReconcileStore } from '../reconcile/pgReconcileStore';
import { reconcile, type ReconcileReport } from '../reconcile/reconcile';

export async function reconcileLive(pool: Pool): Promise<ReconcileReport> {
  const config = reconcileConfig(offchainCommandEnv());
  const ledger = ProjectionLedger.open(config.fabric);
  try {
    return await reconcile(ledger, new PgReconcileStore(pool), {
      channel: config.fabric.channel,
      marketplaces: config.marketplaces,
      concurrency: 16,
      catchUpTimeoutMs: config.catchUpTimeoutMs,
    });
  } finally {
    ledger.close();
  }
}
