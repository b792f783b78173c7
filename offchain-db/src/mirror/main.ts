// The mirror process. `main.js` (or `main.js run`) follows the peer and keeps the projection current,
// serving /healthz and /metrics on MIRROR_OPS_PORT; `main.js rebuild` drops the projection, replays
// from block 0 up to the peer's current height, prints the rate and exits.
import pino from 'pino';
import { databaseConfig, fabricConfig, opsConfig } from '../config/offchainConfig';
import { FabricLedger } from '../ledger/fabricLedger';
import { startOpsServer } from '../ops/opsServer';
import { newPool } from '../store/pgPool';
import { PgProjectionStore } from '../store/pgProjectionStore';
import { Mirror, type MirrorObserver } from './mirror';
import { MirrorMetrics } from './mirrorMetrics';

const log = pino({ name: 'mirror' });
const HEIGHT_POLL_MS = 2000;

function parts() {
  const fabric = fabricConfig();
  const ledger = new FabricLedger(fabric);
  const store = new PgProjectionStore(newPool(databaseConfig(process.env, 'mirror')), topicName());
  const options = {
    channel: fabric.channel,
    chaincodeName: fabric.chaincode,
    fallback: (escrowId: string) => ledger.readEscrow(escrowId),
  };
  return { fabric, ledger, store, options };
}

function topicName(): string {
  return process.env['KAFKA_TOPIC'] ?? 'escrow-events';
}

async function run(): Promise<void> {
  const { ledger, store, options } = parts();
  const metrics = new MirrorMetrics(() => store.outboxBacklog());
  const mirror = new Mirror(ledger, store, options, metrics, log);
  const poll = setInterval(() => {
    ledger.height().then(
      (height) => {
        metrics.peerHeight = height;
      },
      (error: unknown) => {
        log.warn({ err: String(error) }, 'could not read the peer height');
      },
    );
  }, HEIGHT_POLL_MS);
  const server = await startOpsServer(
    opsConfig(process.env, 'MIRROR_OPS_PORT'),
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
  const { ledger, store, options } = parts();
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
  chosen().catch((error: unknown) => {
    log.error({ err: error instanceof Error ? error.stack : String(error) }, `${command} failed`);
    process.exitCode = 1;
  });
}
