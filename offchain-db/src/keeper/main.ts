// The keeper process: every KEEPER_INTERVAL_MS, due escrows from the projection are released or
// cancelled on the ledger as the Oversight `keeper` identity; /healthz and /metrics on KEEPER_OPS_PORT.
import pino from 'pino';
import { databaseConfig, fabricConfig, opsConfig } from '../config/offchainConfig';
import { startOpsServer } from '../ops/opsServer';
import { newPool } from '../store/pgPool';
import { FabricDeadlineLedger } from './fabricDeadlineLedger';
import { Keeper } from './keeper';
import { KeeperMetrics } from './keeperMetrics';
import { PgDeadlineStore } from './pgDeadlineStore';

const log = pino({ name: 'keeper' });

function mspIdsFromEnv(): Record<string, string> {
  const raw = process.env['FABRIC_ORG_MSP_IDS'];
  if (raw === undefined) throw new Error('environment variable FABRIC_ORG_MSP_IDS is not set');
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('FABRIC_ORG_MSP_IDS is not an object');
  return Object.fromEntries(Object.entries(parsed).map(([org, mspId]) => [org, String(mspId)]));
}

async function main(): Promise<void> {
  const intervalMs = Number(process.env['KEEPER_INTERVAL_MS'] ?? '2000');
  const pool = newPool(databaseConfig(process.env, 'keeper'), 2);
  const ledger = new FabricDeadlineLedger(fabricConfig(), mspIdsFromEnv());
  const metrics = new KeeperMetrics(log);
  const keeper = new Keeper(new PgDeadlineStore(pool), ledger, metrics, {
    batchSize: Number(process.env['KEEPER_BATCH_SIZE'] ?? '50'),
    retryAfterMs: Number(process.env['KEEPER_RETRY_AFTER_MS'] ?? '30000'),
    now: () => new Date(),
  });
  const server = await startOpsServer(opsConfig(process.env, 'KEEPER_OPS_PORT'), metrics.registry, () => {
    const last = metrics.lastTickAt?.getTime() ?? 0;
    // Healthy while passes complete: a stuck or failing loop turns /healthz red.
    return Promise.resolve({
      healthy: Date.now() - last < Math.max(30_000, intervalMs * 5),
      lastTickAt: metrics.lastTickAt?.toISOString(),
      lastError: metrics.lastError,
    });
  });

  const loop: { running: boolean; wake: () => void } = { running: true, wake: () => undefined };
  const stop = () => {
    loop.running = false;
    loop.wake();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info({ intervalMs }, 'keeper started');
  while (loop.running) {
    try {
      await keeper.tick();
    } catch (error) {
      metrics.tickFailed(error);
    }
    await new Promise<void>((resolve) => {
      loop.wake = resolve;
      setTimeout(resolve, intervalMs).unref();
    });
  }
  server.close();
  ledger.close();
  await pool.end();
  log.info({}, 'keeper stopped');
}

main().catch((error: unknown) => {
  log.error({ err: error instanceof Error ? error.stack : String(error) }, 'keeper failed');
  process.exitCode = 1;
});
