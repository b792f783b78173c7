// `reconcile`: compares the projection with the ledger, prints the report as JSON (stdout, one line)
// and as text (stderr), and exits 1 on drift. RECONCILE_MARKETPLACES lists the marketplaces whose
// index enumerates the ledger's escrows (default MarketA,MarketB).
import { databaseConfig, fabricConfig } from '../config/offchainConfig';
import { FabricLedger } from '../ledger/fabricLedger';
import { newPool } from '../store/pgPool';
import { PgReconcileStore } from './pgReconcileStore';
import { reconcile, reportText } from './reconcile';

async function main(): Promise<void> {
  const fabric = fabricConfig();
  const ledger = new FabricLedger(fabric);
  const pool = newPool(databaseConfig(process.env, 'reconcile'));
  try {
    const report = await reconcile(ledger, new PgReconcileStore(pool), {
      channel: fabric.channel,
      marketplaces: (process.env['RECONCILE_MARKETPLACES'] ?? 'MarketA,MarketB').split(','),
      concurrency: 16,
      catchUpTimeoutMs: Number(process.env['RECONCILE_CATCH_UP_MS'] ?? 60_000),
    });
    console.log(JSON.stringify(report));
    console.error(reportText(report));
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    ledger.close();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
