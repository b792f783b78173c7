// The reconciler against the live ledger, as the `reconcile` command runs it with `env` (the
// environment the runner hands it).
import type { Env } from '@p2p-escrow/fabric-client';
import type { Pool } from 'pg';
import { reconcileConfig } from '../config/offchainConfig';
import { ProjectionLedger } from '../ledger/projectionLedger';
import { PgReconcileStore } from '../reconcile/pgReconcileStore';
import { reconcile, type ReconcileReport } from '../reconcile/reconcile';

export async function reconcileLive(pool: Pool, env: Env): Promise<ReconcileReport> {
  const config = reconcileConfig(env);
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
