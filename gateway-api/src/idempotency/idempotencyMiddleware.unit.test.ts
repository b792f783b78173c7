import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Principal } from '../auth/principal';
import { problemDetailsMiddleware } from '../errors/problemDetails';
import { idempotency, isIdempotencyResumed } from './idempotencyMiddleware';
import type { BeginResult, IdempotencyStore, IdempotencyTimes, StoredResponse } from './idempotencyStore';

class ScriptedStore implements IdempotencyStore {
  readonly calls: string[] = [];
  times: IdempotencyTimes | undefined;
  /** Set to make `complete` fail, as a store whose database went away would. */
  completeFailure: Error | undefined;
  constructor(private readonly result: BeginResult) {}
  begin(_scope: string, _key: string, _hash: string, times: IdempotencyTimes): Promise<BeginResult> {
    this.times = times;
    return Promise.resolve(this.result);
  }
  complete(_scope: string, _key: string, attempt: number, response: StoredResponse): Promise<void> {
    this.calls.push(`complete#${attempt}:${response.status}`);
    return this.completeFailure === undefined ? Promise.resolve() : Promise.reject(this.completeFailure);
  }
  release(_scope: string, _key: string, attempt: number): Promise<void> {
    this.calls.push(`release#${attempt}`);
    return Promise.resolve();
  }
}

const principal: Principal = {
  subject: 'sub-1',
  userId: 'alice',
  clientId: 'escrow-web',
  marketplace: 'MarketA',
  roles: new Set(['buyer']),
};
const times = { ttlSeconds: 86_400, leaseSeconds: 100 };
const quiet = { error: () => undefined, warn: () => undefined };

async function post(store: IdempotencyStore, status = 201) {
  const app = express();
  app.use(express.json());
  app.use((_request, response, next) => {
    response.locals['principal'] = principal;
    next();
  });
  app.use(idempotency(store, quiet, times));
  app.post('/v1/things', (_request, response) => {
    response.status(status).json({ resumed: isIdempotencyResumed(response) });
  });
  app.use(problemDetailsMiddleware(quiet, { refused: () => undefined }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'key-12345678' },
      body: '{"a":1}',
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  } finally {
    server.close();
  }
}

describe('idempotency middleware: leases', () => {
  it('refuses a retry while the first attempt holds the lease, with 409 and Retry-After', async () => {
    const store = new ScriptedStore({ kind: 'in-progress', retryAfterSeconds: 42 });
    const response = await post(store);
    expect([response.status, response.body['code']]).to.deep.equal([409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS']);
    expect(response.headers.get('retry-after')).to.equal('42');
    expect(store.times).to.deep.equal(times);
  });

  it('runs the request again once the lease ran out, telling the route it resumes', async () => {
    const store = new ScriptedStore({ kind: 'started', attempt: 3, resumed: true });
    const response = await post(store);
    expect(response.body).to.deep.equal({ resumed: true });
    expect(store.calls).to.deep.equal(['complete#3:201']);
  });

  it('a first attempt is not resumed, and a transient failure releases only its own attempt', async () => {
    const store = new ScriptedStore({ kind: 'started', attempt: 1, resumed: false });
    const response = await post(store, 503);
    expect(response.body).to.deep.equal({ resumed: false });
    expect(store.calls).to.deep.equal(['release#1']);
  });
});

describe('idempotency middleware: a record that cannot be stored', () => {
  const lostDatabase = new Error('Connection terminated unexpectedly');

  it('answers a success whose record could not be stored 503 DEPENDENCY_UNAVAILABLE with Retry-After, never 2xx', async () => {
    const store = new ScriptedStore({ kind: 'started', attempt: 1, resumed: false });
    store.completeFailure = lostDatabase;
    const response = await post(store, 201);
    expect([response.status, response.body['code'], response.body['dependency']]).to.deep.equal([
      503,
      'DEPENDENCY_UNAVAILABLE',
      'postgres',
    ]);
    expect(response.headers.get('retry-after')).to.equal('5');
    expect(store.calls).to.deep.equal(['complete#1:201']);
  });

  it('still sends a refusal whose record could not be stored: nothing was done that a retry could repeat', async () => {
    const store = new ScriptedStore({ kind: 'started', attempt: 1, resumed: false });
    store.completeFailure = lostDatabase;
    const response = await post(store, 409);
    expect([response.status, response.body]).to.deep.equal([409, { resumed: false }]);
  });
});
