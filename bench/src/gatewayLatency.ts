// Latency of POST /v1/escrows and GET /v1/escrows/{id} through the running gateway, against the floor
// of the same create submitted straight to the peers with fabric-gateway in the same run.
// Run: node gateway-api/dist/bench/gatewayLatency.js [creates] [reads]; writes bench/reports/gateway-latency.{json,md}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGatewayConfig } from '../config/gatewayConfig';
import { EscrowLedgerClient } from '../fabric/escrowLedgerClient';
import { GatewayCache, type LedgerCaller } from '../fabric/gatewayCache';
import { PeerClients } from '../fabric/peerClients';
import { defaultRetryPolicy } from '../fabric/retry';
import { as, createRequest, repoRoot, uniqueEscrowId } from '../testkit/stack';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? 0,
  };
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The bootstrap identity of MarketA's backend, enrolled by the network start. */
function bootstrapCaller(): LedgerCaller {
  const msp = path.join(
    process.env['P2P_STATE_DIR'] ?? path.join(repoRoot, '.state'),
    'orgs',
    'marketa',
    'users',
    'marketa-backend',
    'msp',
  );
  const keyFile = fs.readdirSync(path.join(msp, 'keystore'))[0] ?? '';
  return {
    org: 'MarketA',
    identityKey: 'bench/marketa-backend',
    credentials: {
      mspId: 'MarketAMSP',
      certificatePem: fs.readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8'),
      privateKeyPem: fs.readFileSync(path.join(msp, 'keystore', keyFile), 'utf8'),
    },
  };
}

async function main(): Promise<void> {
  const creates = Number(process.argv[2] ?? 40);
  const reads = Number(process.argv[3] ?? 200);
  const ids: string[] = [];
  // Warm up: token, identity enrollment, gRPC connections.
  await as('marketa-backend', 'POST', '/v1/escrows', createRequest(uniqueEscrowId('warm')));
  const post: number[] = [];
  for (let index = 0; index < creates; index++) {
    const escrowId = uniqueEscrowId('bench');
    ids.push(escrowId);
    post.push(
      await timed(async () => {
        const response = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
        if (response.status !== 201)
          throw new Error(`create answered ${String(response.status)}: ${response.text}`);
      }),
    );
  }
  const get: number[] = [];
  for (let index = 0; index < reads; index++) {
    const escrowId = ids[index % ids.length] ?? '';
    get.push(
      await timed(async () => {
        const response = await as('alice', 'GET', `/v1/escrows/${escrowId}`);
        if (response.status !== 200) throw new Error(`get answered ${String(response.status)}`);
      }),
    );
  }

  const config = loadGatewayConfig(path.join(repoRoot, '.state', 'gateway', 'config.json'), {});
  const peers = new PeerClients(config.orgs);
  const gateways = new GatewayCache(peers, config);
  const metrics = {
    observeEndorse: () => undefined,
    observeCommit: () => undefined,
    countRetry: () => undefined,
    observeCatchUp: () => undefined,
  };
  const ledger = new EscrowLedgerClient(
    gateways,
    peers,
    config.channel,
    config.chaincode,
    defaultRetryPolicy,
    metrics,
    config.deadlinesMs.peerCatchUp,
  );
  const caller = bootstrapCaller();
  const direct: number[] = [];
  const directRead: number[] = [];
  try {
    await ledger.readEscrow(caller, ids[0] ?? '');
    for (let index = 0; index < creates; index++) {
      const request = createRequest(uniqueEscrowId('floor'));
      delete request['escrowId'];
      direct.push(
        await timed(async () => {
          await ledger.createEscrow(caller, uniqueEscrowId('floor'), request as never);
        }),
      );
    }
    for (let index = 0; index < reads; index++)
      directRead.push(
        await timed(async () => void (await ledger.readEscrow(caller, ids[index % ids.length] ?? ''))),
      );
  } finally {
    gateways.close();
    peers.close();
  }

  const report = {
    measuredAt: new Date().toISOString(),
    sequential: true,
    milliseconds: {
      'POST /v1/escrows': summary(post),
      'GET /v1/escrows/{id}': summary(get),
      'floor: createEscrow via fabric-gateway': summary(direct),
      'floor: readEscrow via fabric-gateway': summary(directRead),
    },
  };
  const dir = path.join(repoRoot, 'bench', 'reports');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'gateway-latency.json'), `${JSON.stringify(report, null, 2)}\n`);
  const rows = Object.entries(report.milliseconds).map(
    ([name, s]) =>
      `| ${name} | ${String(s.n)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} |`,
  );
  const markdown = [
    `# Gateway latency (${report.measuredAt}, sequential requests)`,
    '',
    '| what | n | p50 ms | p95 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'gateway-latency.md'), markdown);
  console.log(markdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
