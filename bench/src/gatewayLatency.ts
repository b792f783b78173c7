// Latency of POST /v1/escrows and GET /v1/escrows/{id} through the running gateway, against the floor
// of the same create and read submitted straight to the peers with fabric-gateway in the same run.
// Run: node bench/dist/gatewayLatency.js [creates] [reads]; writes bench/reports/gateway-latency.{json,md}.
import { escrowEndorsingOrganizations, mspIdOf, TRANSACTIONS } from '@p2p-escrow/chaincode';
import {
  as,
  createRequest,
  evaluateEscrow,
  GatewayPool,
  submitEscrow,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';
import { createProposal } from './escrowProposal';
import { runScript, writeReport } from './reportFiles';
import { latencySummary } from './stats';

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const creates = Number(process.argv[2] ?? 40);
  const reads = Number(process.argv[3] ?? 200);
  const ids: string[] = [];
  // Warm up: token, identity enrollment, gRPC connections.
  await as('marketa-backend', 'POST', '/v1/escrows', createRequest(uniqueEscrowId('warm', 'e2e')));
  const post: number[] = [];
  for (let index = 0; index < creates; index++) {
    const escrowId = uniqueEscrowId('bench', 'e2e');
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

  // The floor: MarketA's backend identity enrolled at start, straight to the peers.
  const pool = new GatewayPool();
  const gateway = pool.of('marketa-backend');
  const direct: number[] = [];
  const directRead: number[] = [];
  try {
    for (let index = 0; index < creates; index++) {
      const request = createRequest('');
      delete request['escrowId'];
      const endorsingOrganizations = escrowEndorsingOrganizations(
        request as { buyer: { marketplace: string }; seller: { marketplace: string } },
      ).map((org) => mspIdOf(org));
      const escrowId = uniqueEscrowId('floor', 'e2e');
      direct.push(
        await timed(async () => {
          const proposal = createProposal(escrowId, request);
          await submitEscrow(gateway, proposal.transaction, proposal.arguments, {
            endorsingOrganizations,
            transientData: proposal.transientData,
          });
        }),
      );
    }
    for (let index = 0; index < reads; index++)
      directRead.push(
        await timed(async () => {
          await evaluateEscrow(gateway, TRANSACTIONS.readEscrow, [ids[index % ids.length] ?? '']);
        }),
      );
  } finally {
    pool.closeAll();
  }

  const report = {
    measuredAt: new Date().toISOString(),
    sequential: true,
    milliseconds: {
      'POST /v1/escrows': latencySummary(post),
      'GET /v1/escrows/{id}': latencySummary(get),
      'floor: createEscrow via fabric-gateway': latencySummary(direct),
      'floor: readEscrow via fabric-gateway': latencySummary(directRead),
    },
  };
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
  writeReport('gateway-latency', report, markdown);
  console.log(markdown);
}

runScript(main);
