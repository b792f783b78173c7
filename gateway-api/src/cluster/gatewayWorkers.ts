// Gateway replicas behind one port: with P2P_GATEWAY_WORKERS > 1 the process started is a small
// primary that forks that many gateway workers with node:cluster; they share the listening socket
// (the primary hands connections out round-robin), and share everything else through the stores every
// replica already shares: Idempotency-Key records in PostgreSQL, rate-limit counters in Redis. The
// primary holds no key and serves no request; it replaces a worker that dies, passes a stop signal on
// and, for GET /metrics, adds up the workers' registries so a scrape through the one port sees them all.
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** A worker that dies within this long of its start counts towards a crash loop. */
const EARLY_DEATH_MS = 10_000;
/** This many early deaths in a row stop the primary: a worker that cannot start will not start by retrying. */
const MAX_EARLY_DEATHS = 5;
/** How long the workers get to finish their requests after a stop signal (the workers' own bound is 10 s). */
const STOP_GRACE_MS = 15_000;
/** How long a worker waits for the primary's sum of the registries before answering with its own. */
const METRICS_ANSWER_MS = 6_000;

const METRICS_REQUEST = 'p2p-gateway:metrics-request';
const METRICS_ANSWER = 'p2p-gateway:metrics-answer';

interface MetricsRequest {
  readonly type: typeof METRICS_REQUEST;
  readonly id: number;
}

interface MetricsAnswer {
  readonly type: typeof METRICS_ANSWER;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

export interface SupervisorLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** True in the process that forks the workers (and in a gateway that runs without workers). */
export function isPrimaryProcess(): boolean {
  return cluster.isPrimary;
}

/**
 * The primary's whole job: `count` workers running this same entry point, each replaced when it dies
 * unless the gateway is stopping; the process exits once every worker has, after SIGTERM or SIGINT.
 */
export function superviseWorkers(count: number, log: SupervisorLog): void {
  const aggregator = new AggregatorRegistry();
  /** The workers alive, by cluster id: when each started. */
  const startedAt = new Map<number, number>();
  let earlyDeaths = 0;
  let stopping = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    worker.on('message', (message: unknown) => {
      if (!isMessage<MetricsRequest>(message, METRICS_REQUEST)) return;
      const answer = (fields: Omit<MetricsAnswer, 'type' | 'id'>) => {
        if (worker.isConnected()) worker.send({ type: METRICS_ANSWER, id: message.id, ...fields });
      };
      aggregator.clusterMetrics().then(
        (text) => {
          answer({ text });
        },
        (error: unknown) => {
          answer({ error: error instanceof Error ? error.message : String(error) });
        },
      );
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    earlyDeaths = lived < EARLY_DEATH_MS ? earlyDeaths + 1 : 0;
    if (earlyDeaths >= MAX_EARLY_DEATHS) {
      log.error(
        { pid: worker.process.pid, code, signal, earlyDeaths },
        'gateway workers keep dying at start',
      );
      process.exit(1);
    }
    log.warn(
      { pid: worker.process.pid, code, signal, livedMs: lived },
      'gateway worker died; starting another',
    );
    fork();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping the gateway workers');
    if (startedAt.size === 0) process.exit(0);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });

  for (let index = 0; index < count; index++) fork();
  log.info({ workers: count, pid: process.pid }, 'gateway primary started its workers');
}

/**
 * In a worker: answers the primary's requests for `registry` (prom-client's own IPC protocol) and
 * returns what GET /metrics serves, the sum over every worker, or this worker's own registry with a
 * comment saying why when the primary does not answer in time.
 */
export function workerMetrics(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one registers the worker's listener for the primary's requests.
  new AggregatorRegistry();
  const waiting = new Map<number, (answer: MetricsAnswer) => void>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (isMessage<MetricsAnswer>(message, METRICS_ANSWER)) waiting.get(message.id)?.(message);
  });
  return async () => {
    const id = nextId++;
    const answer = await new Promise<MetricsAnswer>((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          type: METRICS_ANSWER,
          id,
          error: `no answer from the primary in ${String(METRICS_ANSWER_MS)} ms`,
        });
      }, METRICS_ANSWER_MS);
      waiting.set(id, (received) => {
        clearTimeout(timer);
        resolve(received);
      });
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    }).finally(() => waiting.delete(id));
    if (answer.text !== undefined) return answer.text;
    return `# this worker's metrics only (pid ${String(process.pid)}): ${answer.error ?? 'no sum'}\n${await registry.metrics()}`;
  };
}
