// Gateway replicas behind one port: a gateway started with P2P_GATEWAY_WORKERS=2 serves its port from
// two cluster workers, which share Idempotency-Key records (PostgreSQL) and rate-limit counters
// (Redis) as separate replicas do, add up their metrics for a scrape through the port, are replaced
// when one dies, and all end with the primary's stop.
import { expect } from 'chai';
import {
  call,
  childPidsOf,
  createRequest,
  eventually,
  GatewayReplica,
  gatewayTlsCaFile,
  newKey,
  tokenOf,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';
import * as fs from 'node:fs';
import * as https from 'node:https';

/**
 * GET over a connection of its own (no keep-alive): the primary hands out connections, not requests,
 * so only new connections spread over the workers.
 */
function getOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { agent: false, ca: fs.readFileSync(gatewayTlsCaFile) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The sum of `gateway_http_requests_total` over its labels, as GET /metrics through the port says. */
async function requestsCounted(url: string): Promise<number> {
  const { body } = await getOnNewConnection(`${url}/metrics`);
  return body
    .split('\n')
    .filter((line) => line.startsWith('gateway_http_requests_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('gateway e2e: two cluster workers behind one port', function () {
  this.timeout(180_000);
  const budget = 6;
  const gateway = new GatewayReplica(18118, {
    P2P_GATEWAY_WORKERS: '2',
    P2P_GATEWAY_RATE_PER_USER: String(budget),
    P2P_GATEWAY_RATE_KEY_PREFIX: `gateway:rl:e2e:${newKey()}`,
  });
  let primary = 0;
  before(async () => {
    await gateway.start();
    primary = gateway.pid ?? 0;
    await eventually('two workers', () => (childPidsOf(primary).length === 2 ? true : undefined), {
      timeoutMs: 60_000,
    });
  });
  after(() => gateway.stop());

  it('answers on the one port from both workers, and GET /metrics counts the requests of both', async () => {
    const before = await requestsCounted(gateway.url);
    const sent = 12;
    for (let index = 0; index < sent; index++)
      expect((await getOnNewConnection(`${gateway.url}/openapi.json`)).status).to.equal(200);
    // The primary hands the new connections out in turn, so each worker answered half; one worker's
    // own registry would hold only its half. The first scrape may or may not count itself yet.
    expect((await requestsCounted(gateway.url)) - before).to.be.within(sent, sent + 1);
  });

  it('replays an Idempotency-Key whichever worker answers the retry', async () => {
    const token = await tokenOf('marketa-backend');
    const key = newKey();
    const request = createRequest(uniqueEscrowId('workers', 'e2e'));
    const first = await call('POST', '/v1/escrows', request, {
      token,
      idempotencyKey: key,
      baseUrl: gateway.url,
    });
    expect(first.status, first.text).to.equal(201);
    for (let attempt = 0; attempt < 3; attempt++) {
      const replay = await call('POST', '/v1/escrows', request, {
        token,
        idempotencyKey: key,
        baseUrl: gateway.url,
      });
      expect([replay.status, replay.headers.get('idempotent-replayed')]).to.deep.equal([201, 'true']);
      expect(replay.body).to.deep.equal(first.body);
    }
  });

  it("limits a user across both workers: the budget is the user's, not a worker's", async () => {
    const token = await tokenOf('alice');
    const statuses: number[] = [];
    for (let index = 0; index < budget + 2; index++)
      statuses.push(
        (await call('GET', '/v1/users/MarketB/bea/reputation', undefined, { token, baseUrl: gateway.url }))
          .status,
      );
    // Counted per worker, alternate requests would reach 2 × budget before a 429.
    expect(statuses).to.deep.equal([...Array<number>(budget).fill(200), 429, 429]);
  });

  it('replaces a worker that dies, and keeps answering meanwhile', async () => {
    const [victim, survivor] = childPidsOf(primary);
    expect(victim).to.be.a('number');
    process.kill(victim ?? 0, 'SIGKILL');
    await eventually(
      'a replacement worker',
      () => {
        const now = childPidsOf(primary);
        return now.length === 2 && !now.includes(victim ?? 0) && now.includes(survivor ?? 0)
          ? true
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    // Healthy through the port again once the new worker listens (each request may reach either).
    for (let index = 0; index < 4; index++)
      expect((await getOnNewConnection(`${gateway.url}/healthz`)).status).to.equal(200);
  });

  it('ends every worker with the primary, on its stop signal', async () => {
    const workers = childPidsOf(primary);
    expect(workers).to.have.length(2);
    await gateway.stop();
    expect(isRunning(primary)).to.equal(false);
    await eventually(
      'the workers ended',
      () => (workers.every((pid) => !isRunning(pid)) ? true : undefined),
      {
        timeoutMs: 20_000,
      },
    );
  });
});
