import { expect } from 'chai';
import * as fc from 'fast-check';
import { idempotentFetch } from './idempotentFetch';

interface Seen {
  readonly method: string;
  readonly key: string | null;
  readonly body: string;
}

type Outcome = 'network' | 503 | 429 | 'inProgress' | 200 | 500 | 409;

/** A gateway in-process that answers attempt i with outcomes[i] and records what each attempt sent. */
function gateway(outcomes: readonly Outcome[], retryAfter: string | null = '1') {
  const seen: Seen[] = [];
  const fetchFn = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      key: request.headers.get('idempotency-key'),
      body: await request.text(),
    });
    const outcome = outcomes[seen.length - 1] ?? 200;
    if (outcome === 'network') throw new TypeError('fetch failed');
    const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
    if (retryAfter !== null && outcome !== 200 && outcome !== 500) headers['retry-after'] = retryAfter;
    const code =
      outcome === 'inProgress' ? 'IDEMPOTENCY_REQUEST_IN_PROGRESS' : outcome === 409 ? 'CONFLICT' : 'X';
    const status = outcome === 'inProgress' ? 409 : outcome;
    return new Response(JSON.stringify({ code }), { status, headers });
  }) as typeof fetch;
  return { seen, fetchFn };
}

function subject(fetchFn: typeof fetch, extra: { maxAttempts?: number; budgetMs?: number } = {}) {
  const waits: number[] = [];
  let clock = 0;
  const wrapped = idempotentFetch({
    fetch: fetchFn,
    newKey: () => 'key-fixed-0001',
    sleep: (ms) => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    ...extra,
  });
  return { wrapped, waits };
}

const post = { method: 'POST', body: '{"escrowId":"e-1"}', headers: { 'content-type': 'application/json' } };

describe('idempotent fetch', () => {
  it('gives every POST an Idempotency-Key, keeps the caller’s, and leaves GETs without one', async () => {
    const server = gateway([]);
    const { wrapped } = subject(server.fetchFn);
    await wrapped('https://gw.test/v1/escrows', post);
    await wrapped('https://gw.test/v1/escrows', { ...post, headers: { 'Idempotency-Key': 'caller-key-1' } });
    await wrapped('https://gw.test/v1/escrows');
    expect(server.seen.map((entry) => entry.key)).to.deep.equal(['key-fixed-0001', 'caller-key-1', null]);
  });

  it('retries a 503 after its Retry-After with the same key and body', async () => {
    const server = gateway([503, 200], '2');
    const { wrapped, waits } = subject(server.fetchFn);
    const response = await wrapped('https://gw.test/v1/escrows', post);
    expect(response.status).to.equal(200);
    expect(waits).to.deep.equal([2000]);
    expect(server.seen).to.have.length(2);
    expect(new Set(server.seen.map((entry) => `${entry.key ?? ''}|${entry.body}`)).size).to.equal(1);
  });

  it('retries a network error and a 409 IDEMPOTENCY_REQUEST_IN_PROGRESS, not another 409 or a 500', async () => {
    const retried = gateway(['network', 'inProgress', 200]);
    expect((await subject(retried.fetchFn).wrapped('https://gw.test/v1/escrows', post)).status).to.equal(200);
    expect(retried.seen).to.have.length(3);
    for (const final of [409, 500] as const) {
      const server = gateway([final]);
      expect((await subject(server.fetchFn).wrapped('https://gw.test/v1/escrows', post)).status).to.equal(
        final,
      );
      expect(server.seen).to.have.length(1);
    }
  });

  it('returns the last answer after maxAttempts, and does not wait past its budget', async () => {
    const server = gateway([429, 429, 429, 429, 429]);
    const { wrapped } = subject(server.fetchFn, { maxAttempts: 3 });
    expect((await wrapped('https://gw.test/v1/escrows', post)).status).to.equal(429);
    expect(server.seen).to.have.length(3);
    const patient = gateway([503, 200], '120');
    const impatient = subject(patient.fetchFn, { budgetMs: 30_000 });
    expect((await impatient.wrapped('https://gw.test/v1/escrows', post)).status).to.equal(503);
    expect(impatient.waits).to.deep.equal([]);
  });

  it('rethrows a network error once the attempts are spent', async () => {
    const server = gateway(['network', 'network']);
    const { wrapped } = subject(server.fetchFn, { maxAttempts: 2 });
    const error = await wrapped('https://gw.test/v1/escrows', post).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(TypeError);
    expect(server.seen).to.have.length(2);
  });

  it('sends any run of safe failures with one key and one body, at most maxAttempts times', async () => {
    const failure = fc.constantFrom<Outcome>('network', 503, 429, 'inProgress');
    await fc.assert(
      fc.asyncProperty(
        fc.array(failure, { maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        async (failures, max) => {
          const server = gateway([...failures, 200], '0');
          const { wrapped } = subject(server.fetchFn, { maxAttempts: max });
          await wrapped('https://gw.test/v1/escrows', post).catch(() => undefined);
          expect(server.seen.length).to.equal(Math.min(failures.length + 1, max));
          expect(
            server.seen.every((entry) => entry.key === 'key-fixed-0001' && entry.body === post.body),
          ).to.equal(true);
        },
      ),
    );
  });
});
