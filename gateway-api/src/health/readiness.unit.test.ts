import { expect } from 'chai';
import type { Pool } from 'pg';
import { readinessReport } from './healthRoutes';
import { mirrorReadiness, type MirrorHealth } from './mirrorReadiness';

const pool = {} as Pool;
const up = () => Promise.resolve(true);

describe('readiness', () => {
  it('is not ready while the mirror cannot advance, and says why', async () => {
    const stalled: MirrorHealth = () =>
      Promise.resolve({ advancing: false, detail: 'checkpoint at block 7 for 95 s, ledger at 12' });
    const report = await readinessReport(
      { postgres: up, mirror: mirrorReadiness(stalled, pool, 30_000) },
      1_000,
    );
    expect(report.status).to.equal(503);
    expect(report.body).to.deep.equal({
      status: 'not ready',
      checks: { postgres: 'ok', mirror: 'checkpoint at block 7 for 95 s, ledger at 12' },
      missing: ['mirror'],
    });
  });

  it('is ready while the mirror advances, asking with the configured lag', async () => {
    const asked: number[] = [];
    const advancing: MirrorHealth = (_pool, { maxLagMs }) => {
      asked.push(maxLagMs);
      return Promise.resolve({ advancing: true, detail: 'at block 12' });
    };
    const report = await readinessReport({ mirror: mirrorReadiness(advancing, pool, 30_000) }, 1_000);
    expect([report.status, report.body.checks]).to.deep.equal([200, { mirror: 'ok' }]);
    expect(asked).to.deep.equal([30_000]);
  });

  it('counts a check that fails or hangs as unavailable', async () => {
    const report = await readinessReport(
      { broken: () => Promise.reject(new Error('down')), hung: () => new Promise<boolean>(() => undefined) },
      50,
    );
    expect([report.status, report.body.checks]).to.deep.equal([
      503,
      { broken: 'unavailable', hung: 'unavailable' },
    ]);
  });

  it('names the missing dependency, and stays ready but degraded while only one it can do without is missing', async () => {
    const down = () => Promise.resolve(false);
    const checks = { fabricPeer: up, postgres: up, redis: down, keycloakJwks: down };
    const degraded = await readinessReport(checks, 1_000, ['redis', 'keycloakJwks']);
    expect([degraded.status, degraded.body.status, degraded.body.missing]).to.deep.equal([
      200,
      'degraded',
      ['redis', 'keycloakJwks'],
    ]);
    const notReady = await readinessReport({ ...checks, postgres: down }, 1_000, ['redis', 'keycloakJwks']);
    expect([notReady.status, notReady.body.status, notReady.body.missing]).to.deep.equal([
      503,
      'not ready',
      ['postgres', 'redis', 'keycloakJwks'],
    ]);
  });
});
