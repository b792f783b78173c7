// Dependencies down, service degraded, never wrong: with PostgreSQL, Redis, Keycloak or Kafka stopped
// (through the runner, as an operator or a crash would), MarketA's gateway answers 503 problem+json
// with Retry-After and DEPENDENCY_UNAVAILABLE naming what needs the missing one, keeps serving what
// does not, says in /readyz what is missing, and serves in full again once the dependency is back,
// without being restarted (the same process throughout). Every wait is on health, bounded.
import { gatewayServiceName } from '@p2p-escrow/scripts';
import {
  call,
  clientCredentialsToken,
  createRequest,
  ensureDaemons,
  eventually,
  gatewayUrlOf,
  isRunning,
  liveRunner,
  loadRecord,
  localFetch,
  projectionPool,
  uniqueEscrowId,
  type ApiResponse,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';

const GATEWAY = gatewayServiceName('MarketA');
const OUTAGE_WAIT = { timeoutMs: 60_000, intervalMs: 250 };

interface Readiness {
  readonly status: number;
  readonly body: { status?: string; missing?: string[]; checks?: Record<string, string> };
}

async function readiness(): Promise<Readiness> {
  const response = await localFetch(`${gatewayUrlOf('MarketA')}/readyz`, {
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/**
 * /readyz once it answers `status` naming `missing` (exactly, or at least those when `atLeast`: a
 * stopped PostgreSQL also stalls the mirror and may take Keycloak with it), bounded.
 */
function readinessBecomes(status: number, missing: readonly string[], atLeast = false): Promise<Readiness> {
  return eventually(
    `/readyz ${status} missing [${missing.join(', ')}]`,
    async () => {
      const answer = await readiness();
      const named = answer.body.missing ?? [];
      const matches = atLeast
        ? missing.every((name) => named.includes(name))
        : named.length === missing.length && missing.every((name) => named.includes(name));
      return answer.status === status && matches ? answer : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
}

function expectUnavailable(response: ApiResponse, dependency: string): void {
  expect(response.status, response.text).to.equal(503);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(response.body['code']).to.equal('DEPENDENCY_UNAVAILABLE');
  expect(response.body['dependency']).to.equal(dependency);
  expect(Number(response.headers.get('retry-after'))).to.be.above(0);
}

describe('gateway e2e: a dependency down, the service degraded and never wrong', function () {
  this.timeout(900_000);
  const runner = liveRunner();
  let gatewayPid: number | undefined;
  let runningBefore: string[] = [];

  before(async () => {
    runningBefore = runner
      .daemons()
      .filter((daemon) => runner.isUp(daemon.name))
      .map((daemon) => daemon.name);
    await readinessBecomes(200, []);
    gatewayPid = loadRecord(GATEWAY)?.pid;
  });

  afterEach(async () => {
    // A daemon downstream of the stopped dependency may have ended with it: bring back what ran before.
    const ended = runningBefore.filter((name) => !runner.isUp(name));
    if (ended.length > 0) console.log(`      daemons ended during the outage, restored: ${ended.join(', ')}`);
    await ensureDaemons(runningBefore, runner);
  });

  after(() => {
    const record = loadRecord(GATEWAY);
    expect(record?.pid, 'the gateway was never restarted').to.equal(gatewayPid);
    expect(record !== undefined && isRunning(record)).to.equal(true);
  });

  /** A fresh backend token, so an outage of the identity provider never outlives it. */
  const backendToken = () => clientCredentialsToken('marketa-backend');

  async function create(token: string, escrowId = uniqueEscrowId('outage', 'e2e')): Promise<ApiResponse> {
    return call('POST', '/v1/escrows', createRequest(escrowId), { token });
  }

  it('PostgreSQL: writes, search and events are 503 naming it; ledger reads go on; all back once it returns', async () => {
    const token = await backendToken();
    const before = await create(token);
    expect(before.status, before.text).to.equal(201);
    const escrowRoute = String(before.headers.get('location'));

    await runner.stop(['postgres']);
    const down = await readinessBecomes(503, ['postgres', 'mirror'], true);
    expect(down.body.status).to.equal('not ready');
    expectUnavailable(await create(token), 'postgres');
    expectUnavailable(await call('GET', '/v1/escrows?state=PROPOSED', undefined, { token }), 'postgres');
    expectUnavailable(await call('GET', '/v1/events', undefined, { token }), 'postgres');
    // The caller's Fabric identity is in the gateway's memory: the ledger answers without PostgreSQL.
    const read = await call('GET', escrowRoute, undefined, { token });
    expect(read.status, read.text).to.equal(200);

    await ensureDaemons(['postgres'], runner);
    await readinessBecomes(200, []);
    // With the token from before: Keycloak, on PostgreSQL too, answers its token endpoint 500 for a
    // few seconds after PostgreSQL returns, and the gateway's recovery is what this checks.
    const after = await eventually(
      'a write once PostgreSQL is back',
      async () => {
        const answer = await create(token);
        return answer.status === 201 ? answer : undefined;
      },
      OUTAGE_WAIT,
    );
    expect(after.status).to.equal(201);
  });

  it('Redis: still serving, rate limits counted per replica; ready but degraded; ready once it returns', async () => {
    const token = await backendToken();
    await runner.stop(['redis']);
    const degraded = await readinessBecomes(200, ['redis']);
    expect(degraded.body.status).to.equal('degraded');
    const created = await create(token);
    expect(created.status, created.text).to.equal(201);
    const read = await call('GET', String(created.headers.get('location')), undefined, { token });
    expect(read.status, read.text).to.equal(200);

    await ensureDaemons(['redis'], runner);
    await readinessBecomes(200, []);
    expect((await create(token)).status).to.equal(201);
  });

  it('Keycloak: tokens verified with the cached key set, so still serving; degraded; ready once it returns', async () => {
    const token = await backendToken();
    expect((await call('GET', '/v1/escrows?state=PROPOSED', undefined, { token })).status).to.equal(200);
    await runner.stop(['keycloak']);
    const degraded = await readinessBecomes(200, ['keycloakJwks']);
    expect(degraded.body.status).to.equal('degraded');
    const created = await create(token);
    expect(created.status, created.text).to.equal(201);

    await ensureDaemons(['keycloak'], runner);
    await readinessBecomes(200, []);
    expect((await create(await backendToken())).status).to.equal(201);
  });

  it('Kafka: the gateway is untouched (writes 201, ready); the events wait in the outbox and go out once it returns', async () => {
    const token = await backendToken();
    const relayPid = loadRecord('outbox-relay')?.pid;
    await runner.stop(['kafka']);
    const escrowId = uniqueEscrowId('kafka-outage', 'e2e');
    const created = await create(token, escrowId);
    expect(created.status, created.text).to.equal(201);
    expect((await readiness()).status).to.equal(200);

    const outbox = projectionPool();
    try {
      const rowsOf = async () =>
        (
          await outbox.query<{ total: string; unsent: string }>(
            'SELECT count(*) AS total, count(*) FILTER (WHERE sent_at IS NULL) AS unsent FROM outbox WHERE key = $1',
            [escrowId],
          )
        ).rows[0];
      const waiting = await eventually(
        'the escrow event in the outbox',
        async () => {
          const rows = await rowsOf();
          return rows !== undefined && Number(rows.total) > 0 ? rows : undefined;
        },
        OUTAGE_WAIT,
      );
      expect(Number(waiting.unsent), 'unsent while Kafka is down').to.equal(Number(waiting.total));

      await ensureDaemons(['kafka'], runner);
      await eventually(
        'the outbox sent once Kafka is back',
        async () => {
          const rows = await rowsOf();
          return rows !== undefined && Number(rows.unsent) === 0 ? true : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 500 },
      );
    } finally {
      await outbox.end();
    }
    expect(loadRecord('outbox-relay')?.pid, 'the relay was never restarted').to.equal(relayPid);
  });
});
