// The mirror process. `main.js` (or `main.js run`) follows the peer and keeps the projection current,
// serving /healthz and /metrics on P2P_OPS_HOST:P2P_OPS_PORT; `main.js rebuild` drops the projection,
// replays from block 0 up to the peer's current height, prints the rate and exits.
import pino from 'pino';
import { mirrorConfig, mirrorRebuildConfig, type MirrorConfig } from '../config/offchainConfig';
import { ProjectionLedger } from '../ledger/projectionLedger';
import { startOpsServer } from '../ops/opsServer';
import { runProcess } from '../ops/processMain';
import { newPool } from '../store/pgPool';
import { PgProjectionStore } from '../store/pgProjectionStore';
import { Mirror, type MirrorObserver } from './mirror';
import { MirrorMetrics } from './mirrorMetrics';
import { allOf, PgMirrorProgress } from './mirrorProgress';

const log = pino({ name: 'mirror' });
const HEIGHT_POLL_MS = 2000;

function parts(config: MirrorConfig) {
  const ledger = ProjectionLedger.open(config.fabric);
  const pool = newPool(config.database);
  const store = new PgProjectionStore(pool, config.topic);
  const options = {
    channel: config.fabric.channel,
    chaincodeName: config.fabric.chaincode,
    organization: config.organization,
    fallback: (escrowId: string) => ledger.escrowOnLedger(escrowId),
  };
  return { ledger, pool, store, options };
}

async function run(): Promise<void> {
  const config = mirrorConfig(process.env);
  const { ledger, pool, store, options } = parts(config);
  const metrics = new MirrorMetrics(() => store.outboxBacklog());
  const progress = new PgMirrorProgress(pool, options.channel, log);
  const mirror = new Mirror(ledger, store, options, allOf(metrics, progress), log);
  const poll = setInterval(() => {
    ledger
      .height()
      .then(async (height) => {
        metrics.peerHeight = height;
        // The heartbeat too: a mirror that stops recording it reads as stalled (mirrorHealth).
        await progress.peerHeight(height);
      })
      .catch((error: unknown) => {
        log.warn({ err: String(error) }, 'could not read the peer height or record it');
      });
  }, HEIGHT_POLL_MS);
  const server = await startOpsServer(
    config.ops,
    metrics.registry,
    async () => {
      const checkpoint = await store.lastBlock(options.channel).catch(() => undefined);
      return {
        healthy: checkpoint !== undefined && metrics.streaming,
        checkpoint: checkpoint?.toString(),
        peerHeight: metrics.peerHeight.toString(),
        lagBlocks: metrics.lagBlocks().toString(),
        lastError: metrics.lastError,
      };
    },
    () => metrics.refresh(),
  );
  const shutdown = () => {
    log.info({}, 'stopping');
    mirror.stop();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  log.info({ channel: options.channel }, 'mirror started');
  await mirror.run();
  clearInterval(poll);
  server.close();
  ledger.close();
  await store.close();
}

async function rebuild(): Promise<void> {
  const { ledger, store, options } = parts(mirrorRebuildConfig(process.env));
  const counted = { blocks: 0, transitions: 0 };
  const observer: MirrorObserver = {
    blockApplied: (_number, _time, transitions) => {
      counted.blocks += 1;
      counted.transitions += transitions;
    },
    streamOpened: () => undefined,
    failed: () => undefined,
  };
  try {
    const target = (await ledger.height()) - 1n;
    const began = Date.now();
    await store.resetProjection(options.channel);
    await new Mirror(ledger, store, options, observer, log).run(target);
    const seconds = (Date.now() - began) / 1000;
    console.log(
      JSON.stringify({
        rebuiltToBlock: target.toString(),
        blocks: counted.blocks,
        transitions: counted.transitions,
        seconds,
        transitionsPerSecond: Math.round(counted.transitions / seconds),
        blocksPerSecond: Math.round(counted.blocks / seconds),
      }),
    );
  } finally {
    ledger.close();
    await store.close();
  }
}

const command = process.argv[2] ?? 'run';
const commands: Record<string, () => Promise<void>> = { run, rebuild };
const chosen = commands[command];
if (chosen === undefined) {
  console.error(`unknown command ${command}; use run or rebuild`);
  process.exitCode = 2;
} else {
  runProcess(command, chosen, log);
}
