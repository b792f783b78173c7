// The keeper process: every P2P_KEEPER_INTERVAL_MS, due escrows from the projection are released or
// cancelled on the ledger as the Oversight `keeper` identity; /healthz and /metrics on
// P2P_OPS_HOST:P2P_OPS_PORT.
import pino from 'pino';
import { keeperConfig } from '../config/offchainConfig';
import { startOpsServer } from '../ops/opsServer';
import { pipelineReadiness } from '../ops/pipelineReadiness';
import { runProcess } from '../ops/processMain';
import { newPool } from '../store/pgPool';
import { FabricDeadlineLedger } from './fabricDeadlineLedger';
import { Keeper } from './keeper';
import { KeeperMetrics } from './keeperMetrics';
import { PgDeadlineStore } from './pgDeadlineStore';

const log = pino({ name: 'keeper' });

async function main(): Promise<void> {
  const config = keeperConfig(process.env);
  const { intervalMs } = config;
  const pool = newPool(config.database, 2);
  const ledger = FabricDeadlineLedger.open(config.fabric);
  const metrics = new KeeperMetrics(log);
  const keeper = new Keeper(new PgDeadlineStore(pool), ledger, metrics, {
    batchSize: config.batchSize,
    retryAfterMs: config.retryAfterMs,
    now: () => new Date(),
  });
  const health = () => {
    const last = metrics.lastTickAt?.getTime() ?? 0;
    // Healthy while passes complete: a stuck or failing loop turns /healthz red.
    return Promise.resolve({
      healthy: Date.now() - last < Math.max(30_000, intervalMs * 5),
      lastTickAt: metrics.lastTickAt?.toISOString(),
      lastError: metrics.lastError,
    });
  };
  // Ready only while the mirror advances: the keeper picks due escrows from the projection.
  const server = await startOpsServer(
    config.ops,
    metrics.registry,
    health,
    undefined,
    pipelineReadiness(pool, config.mirrorMaxLagMs, health),
  );

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

runProcess('keeper', main, log);
