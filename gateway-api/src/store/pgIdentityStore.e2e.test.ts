// The identity store's exclusive section holds across processes: two pools (two replicas' worth of
// connections) never run work for the same identity at once, and different identities do not wait.
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { gatewayDatabase } from '@p2p-escrow/testkit';
import { PgIdentityStore } from './pgIdentityStore';
import { createPool } from './postgres';

describe('gateway e2e: identity enrollment is exclusive across replicas', function () {
  this.timeout(30_000);
  const pools = [createPool(gatewayDatabase()), createPool(gatewayDatabase())];
  const [first, second] = pools.map((pool) => new PgIdentityStore(pool)) as [
    PgIdentityStore,
    PgIdentityStore,
  ];
  after(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });

  const timed = (store: PgIdentityStore, key: string, spans: [number, number][]) =>
    store.exclusive(key, async () => {
      const began = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      spans.push([began, performance.now()]);
    });

  it('runs one replica’s work for an identity after the other’s, never during it', async () => {
    const key = `e2e/${crypto.randomBytes(4).toString('hex')}/buyer`;
    const spans: [number, number][] = [];
    await Promise.all([timed(first, key, spans), timed(second, key, spans)]);
    const [a, b] = [...spans].sort((x, y) => x[0] - y[0]) as [[number, number], [number, number]];
    expect(b[0]).to.be.at.least(a[1]);
  });

  it('does not make different identities wait for each other', async () => {
    const spans: [number, number][] = [];
    const started = performance.now();
    await Promise.all([
      timed(first, `e2e/${crypto.randomBytes(4).toString('hex')}/buyer`, spans),
      timed(second, `e2e/${crypto.randomBytes(4).toString('hex')}/seller`, spans),
    ]);
    expect(performance.now() - started).to.be.below(550);
  });

  it('releases the lock when the work fails', async () => {
    const key = `e2e/${crypto.randomBytes(4).toString('hex')}/buyer`;
    await first
      .exclusive(key, () => Promise.reject(new Error('enrollment failed')))
      .catch((error: unknown) => error);
    const spans: [number, number][] = [];
    await timed(second, key, spans);
    expect(spans).to.have.length(1);
  });
});
