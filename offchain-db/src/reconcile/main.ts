// `reconcile`: compares the projection with the ledger, prints the report as JSON (stdout, one line)
// and as text (stderr), and exits 1 on drift, 2 when it could not compare. P2P_RECONCILE_MARKETPLACES
// lists the marketplaces whose index enumerates the ledger's escrows (default: every marketplace the
// chaincode's registry holds).
import pino from 'pino';
import { reconcileConfig } from '../config/offchainConfig';
import { ProjectionLedger } from '../ledger/projectionLedger';
import { runProcess } from '../ops/processMain';
import { newPool } from '../store/pgPool';
import { PgReconcileStore } from './pgReconcileStore';
import { reconcile, reportText } from './reconcile';

const log = pino({ name: 'reconcile' });

async function main(): Promise<void> {
  const config = reconcileConfig(process.env);
  const ledger = ProjectionLedger.open(config.fabric);
  const pool = newPool(config.database);
  try {
    const report = await reconcile(ledger, new PgReconcileStore(pool), {
      channel: config.fabric.channel,
      marketplaces: config.marketplaces,
      concurrency: 16,
      catchUpTimeoutMs: config.catchUpTimeoutMs,
    });
    console.log(JSON.stringify(report));
    console.error(reportText(report));
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    ledger.close();
    await pool.end();
  }
}

runProcess('reconcile', main, log, 2);
