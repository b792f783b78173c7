// The gateway layer: the same lifecycle through the HTTP API with real Keycloak tokens and a fresh
// Idempotency-Key per request, on gateway processes of the bench's own, one set per org of the trade
// (same build, same config as that org's running gateway: each serves its own org's callers only)
// whose per-client and per-user rate limits are raised for the run.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import { gatewayEnvironment, repoRoot } from '@p2p-escrow/scripts';
import {
  call,
  childHasEnded,
  childPidsOf,
  createRequest,
  deliverProviderEvent,
  endChild,
  localFetch,
  orgOfCaller,
  providerWebhookSecret,
  tokenOf,
  type Caller,
} from '@p2p-escrow/testkit';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { addStageTotals, stageTotalsOf, type StageTotals } from './gatewayStages';
import { PEER_CALL_KINDS, peerCallsOf, type CostedGateways, type PeerCalls } from './layerCost';
import type { Outcome } from './openLoop';

export { repoRoot };

async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => {
        resolve(false);
      });
      server.listen(port, '127.0.0.1', () => {
        server.close(() => {
          resolve(true);
        });
      });
    });
    if (free) return port;
  }
  throw new Error(`no free loopback port from ${String(preferred)}`);
}

export class BenchGateway {
  #child: ChildProcess | undefined;
  url = '';
  /** Where the process's output goes (bench/reports/bench-gateway-<org>-<port>.log). */
  logFile = '';
  /** Set once the process has ended: how, and where its output is. */
  exited: string | undefined;

  /** `workers`: P2P_GATEWAY_WORKERS, cluster workers behind the process's one port (1: none). */
  constructor(
    readonly org: string,
    readonly workers = 1,
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The process and its cluster workers, whose CPU is the gateway's. */
  pids(): number[] {
    const pid = this.pid;
    return pid === undefined ? [] : [pid, ...childPidsOf(pid)];
  }

  async start(): Promise<void> {
    const port = await freePort(18050);
    // HTTPS, as the stack's gateway: a certificate of the local CA, which `call` trusts.
    this.url = `https://127.0.0.1:${String(port)}`;
    // BENCH_GATEWAY_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to see where its time goes.
    const nodeArgs = (process.env['BENCH_GATEWAY_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    // BENCH_GATEWAY_MAIN: another build of the gateway (e.g. a copy of an earlier dist/) to compare with.
    const main = process.env['BENCH_GATEWAY_MAIN'] ?? path.join(repoRoot, 'gateway-api', 'dist', 'main.js');
    const logDir = path.join(repoRoot, 'bench', 'reports');
    fs.mkdirSync(logDir, { recursive: true });
    this.logFile = path.join(logDir, `bench-gateway-${this.org.toLowerCase()}-${String(port)}.log`);
    const output = fs.openSync(this.logFile, 'w');
    const child = spawn(process.execPath, [...nodeArgs, main], {
      env: {
        ...process.env,
        // The running gateway's configuration, as the runner hands it, with the bench's overrides.
        ...gatewayEnvironment(this.org),
        P2P_GATEWAY_PORT: String(port),
        P2P_GATEWAY_WORKERS: String(this.workers),
        P2P_GATEWAY_RATE_PER_CLIENT: '10000000',
        P2P_GATEWAY_RATE_PER_USER: '10000000',
        P2P_GATEWAY_RATE_KEY_PREFIX: `gateway:rl:bench:${crypto.randomBytes(3).toString('hex')}`,
        LOG_LEVEL: 'warn',
      },
      // Its warnings and a crash's stack go to a file of its own, named in the error when it exits.
      stdio: ['ignore', output, output],
    });
    fs.closeSync(output);
    this.#child = child;
    child.once('exit', (code, signal) => {
      this.exited = `exited with ${String(code ?? signal)} (its output: ${this.logFile})`;
    });
    // A loaded two-core box has taken over a minute to start one.
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (childHasEnded(child)) throw new Error(`bench gateway ${this.exited ?? 'exited'}`);
      try {
        if ((await localFetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error('bench gateway not healthy after 180 s');
  }

  async #metrics(): Promise<string> {
    try {
      return await (await localFetch(`${this.url}/metrics`)).text();
    } catch {
      return '';
    }
  }

  /** Retries the gateway itself made against Fabric, from its Prometheus counter. */
  async fabricRetries(): Promise<number> {
    return (await this.#metrics())
      .split('\n')
      .filter((line) => line.startsWith('gateway_fabric_retries_total'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1) ?? 0), 0);
  }

  async peerCalls(): Promise<PeerCalls> {
    return peerCallsOf(await this.#metrics());
  }

  async stageTotals(): Promise<StageTotals> {
    return stageTotalsOf(await this.#metrics());
  }

  async stop(): Promise<void> {
    if (this.#child !== undefined) await endChild(this.#child);
  }
}

/** The orgs of the bench's trade: a MarketA buyer and a MarketB seller. */
const TRADE_ORGS = ['MarketA', 'MarketB'] as const;

/**
 * BENCH_GATEWAY_REPLICAS gateway processes per org of the trade (default 1), each on its own port,
 * sharing the same PostgreSQL, Redis and rate-limit prefix; escrow i is driven through each org's
 * replica i mod n. BENCH_GATEWAY_WORKERS (default 1): cluster workers behind each replica's one port,
 * each its own Node event loop, as a deployment runs them with P2P_GATEWAY_WORKERS.
 */
export class BenchGatewayPool implements CostedGateways {
  readonly replicas: BenchGateway[];

  constructor(count: number, workers = 1) {
    for (const [what, value] of [
      ['replicas', count],
      ['workers', workers],
    ] as const)
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`gateway ${what} must be ≥ 1, not ${String(value)}`);
    this.replicas = TRADE_ORGS.flatMap((org) =>
      Array.from({ length: count }, () => new BenchGateway(org, workers)),
    );
  }

  /** Starts the replicas one after the other, so each finds the next free port. */
  async start(): Promise<void> {
    for (const replica of this.replicas) await replica.start();
  }

  /** The replica of `org`'s gateway that drives escrow `index`. */
  urlFor(index: number, org: string): string {
    const ofOrg = this.replicas.filter((replica) => replica.org === org);
    return ofOrg[index % ofOrg.length]?.url ?? '';
  }

  /** How the replicas that ended did, for an error's message ('' while every replica runs). */
  ended(): string {
    const ended = this.replicas.flatMap((replica) =>
      replica.exited === undefined ? [] : [`${replica.org}'s bench gateway ${replica.exited}`],
    );
    return ended.length === 0 ? '' : ` (${ended.join('; ')})`;
  }

  async fabricRetries(): Promise<number> {
    const counts = await Promise.all(this.replicas.map((replica) => replica.fabricRetries()));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  pids(): number[] {
    return this.replicas.flatMap((replica) => replica.pids());
  }

  async peerCalls(): Promise<PeerCalls> {
    const all = await Promise.all(this.replicas.map((replica) => replica.peerCalls()));
    const sum: PeerCalls = { evaluate: 0, endorse: 0, commit_status: 0 };
    for (const calls of all) for (const kind of PEER_CALL_KINDS) sum[kind] += calls[kind];
    return sum;
  }

  /** The gateways' stage histograms, summed over the replicas. */
  async stageTotals(): Promise<StageTotals> {
    const all = await Promise.all(this.replicas.map((replica) => replica.stageTotals()));
    return all.reduce(addStageTotals, stageTotalsOf(''));
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.stop()));
  }
}

const CALLERS: readonly Caller[] = ['marketa-backend', 'bea', 'alice'];

/** Logs every caller in once, so the run measures requests and not Keycloak logins. */
export async function warmTokens(): Promise<void> {
  for (const caller of CALLERS) await tokenOf(caller);
}

/**
 * Outside any measurement, one lifecycle through every replica: a gateway builds the OpenAPI
 * validators of a route's responses on that route's first request (about 0.6 s of CPU each in a
 * profile of the layer), which would otherwise be counted as the layer's CPU per transition.
 */
export async function warmGateways(gateways: BenchGatewayPool): Promise<void> {
  const warmUp = gatewayLifecycleOperation(gateways);
  // Cluster workers get connections in turn: as many lifecycles at once as a replica has workers.
  const workers = gateways.replicas[0]?.workers ?? 1;
  for (let index = 0; index < gateways.replicas.length; index++)
    await Promise.all(
      Array.from({ length: workers }, (_, worker) => warmUp(index + worker * gateways.replicas.length)),
    );
}

/** Answers worth another attempt: a step that read the escrow before its previous step reached that peer. */
const RETRYABLE = new Set([409, 429, 502, 503, 504]);

export function gatewayLifecycleOperation(gateways: BenchGatewayPool): (index: number) => Promise<Outcome> {
  const run = crypto.randomBytes(4).toString('hex');
  return async (index) => {
    const escrowId = `bench-gw-${run}-${String(index)}`;
    const route = `/v1/escrows/${escrowId}`;

    const steps: [Caller, string, unknown, number][] = [
      ['marketa-backend', '/v1/escrows', createRequest(escrowId), 201],
      ['bea', `${route}/accept`, {}, 200],
      // The payment is opened at the gateway; the provider's event funds it (paidByProvider below).
      ['marketa-backend', `${route}/payment`, {}, 201],
      ['bea', `${route}/ship`, { carrier: 'DHL', trackingRef: `trk-${escrowId}` }, 200],
      ['alice', `${route}/confirm-delivery`, undefined, 200],
      ['alice', `${route}/release`, {}, 200],
    ];
    const latencies: number[] = [];
    const unitTimes: number[] = [];
    let retries = 0;
    for (const [caller, url, body, expected] of steps) {
      const began = performance.now();
      for (let attempt = 0; ; attempt++) {
        const baseUrl = gateways.urlFor(index, orgOfCaller(caller));
        const token = await tokenOf(caller);
        const response = await call('POST', url, body, { token, baseUrl }).catch((error: unknown) => {
          // fetch says only "fetch failed": name the step, the gateway and its cause.
          const cause =
            error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
          throw new Error(
            `${url.replace(escrowId, '{id}')} at ${baseUrl}: ${String(error)}${cause}${gateways.ended()}`,
          );
        });
        if (response.status === expected) {
          if (url.endsWith('/payment')) await paidByProvider(escrowId, response.body);
          break;
        }
        const alreadyDone =
          attempt > 0 && response.status === 409 && response.body['code'] === 'ESCROW_EXISTS';
        if (alreadyDone) break;
        if (attempt >= 5 || !RETRYABLE.has(response.status))
          throw new Error(
            `${url.replace(escrowId, '{id}')} answered ${String(response.status)}: ${response.text.slice(0, 200)}`,
          );
        retries += 1;
        await new Promise((resolve) => setTimeout(resolve, 150 * (attempt + 1)));
      }
      latencies.push(performance.now() - began);
      unitTimes.push(performance.now());
    }
    return { units: steps.length, latencies, retries, unitTimes };
  };
}

/**
 * The provider's `payment_intent.succeeded` for the payment just opened, signed with the endpoint
 * secret and delivered to MarketA's payments service, which answers once the escrow is funded.
 */
async function paidByProvider(escrowId: string, payment: Record<string, unknown>): Promise<void> {
  const event = paymentSucceededDelivery(
    {
      paymentId: String(payment['paymentId']),
      escrowId,
      amountMinor: BigInt(String(payment['amount'])),
      currency: String(payment['currency']),
    },
    providerWebhookSecret(),
  );
  for (let attempt = 0; ; attempt++) {
    const answer = await deliverProviderEvent('MarketA', event);
    if (answer.status === 200) return;
    if (attempt >= 5 || answer.status !== 503)
      throw new Error(
        `payment event of ${escrowId} answered ${String(answer.status)}: ${answer.text.slice(0, 200)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 150 * (attempt + 1)));
  }
}
