// mirrorLagHistory() on real PostgreSQL (a scratch schema): transition rows with known transaction
// times and write times fall into their slices with exact percentiles; rows older than the window and
// slices with no rows are left out; a window that is not positive is refused.
import { migrateOffchain } from '@p2p-escrow/scripts';
import { projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { Pool } from 'pg';
import { mirrorLagHistory } from './mirrorLagHistory';

const SCHEMA = 'mirror_lag_history_check';

describe('mirrorLagHistory on PostgreSQL', function () {
  this.timeout(60_000);
  let pool: Pool;
  let row = 0;

  /** The start of the current minute, read once per test so a minute passing mid-test moves nothing. */
  let minuteStart: Date;

  /** A transition written `minutesAgo` before `minuteStart`, `lagMs` after its transaction. */
  async function mirrored(minutesAgo: number, lagMs: number): Promise<void> {
    row += 1;
    await pool.query(
      `WITH t AS (SELECT $1::timestamptz - make_interval(mins => $2::int) AS written)
       INSERT INTO transitions (escrow_id, block_number, tx_id, tx_index, event_index, event_name, state,
         tx_time, payload, mirrored_at, sequence)
       SELECT 'lag-' || $3::text, $3::bigint, 'tx-' || $3::text, 0, 0, 'EscrowCreated', 'PROPOSED',
         written - make_interval(secs => $4::float8 / 1000), '{}'::jsonb, written, 1 FROM t`,
      [minuteStart, minutesAgo, row, lagMs],
    );
  }

  beforeEach(async () => {
    pool = projectionPool(SCHEMA);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await migrateOffchain(SCHEMA);
    minuteStart = (await pool.query<{ at: Date }>(`SELECT date_trunc('minute', now()) AS at`)).rows[0]!.at;
  });

  afterEach(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await pool.end();
  });

  it('is empty when nothing was mirrored in the window', async () => {
    await mirrored(120, 300);
    expect(await mirrorLagHistory(pool, { minutes: 30, bucketSeconds: 60 })).to.deep.equal([]);
  });

  it('gives each slice with rows its count and exact percentiles, oldest first', async () => {
    for (const lag of [100, 200, 300, 400, 1300]) await mirrored(5, lag);
    await mirrored(3, 250);
    await mirrored(120, 9_000);

    const history = await mirrorLagHistory(pool, { minutes: 30, bucketSeconds: 60 });

    const minuteStart = (await pool.query<{ at: Date }>(`SELECT date_trunc('minute', now()) AS at`)).rows[0]!
      .at;
    const minutesBefore = (n: number) => new Date(minuteStart.getTime() - n * 60_000).toISOString();
    expect(history).to.deep.equal([
      { start: minutesBefore(5), transitions: 5, p50Ms: 300, p95Ms: 1120, maxMs: 1300 },
      { start: minutesBefore(3), transitions: 1, p50Ms: 250, p95Ms: 250, maxMs: 250 },
    ]);
  });

  it('refuses a window that is not positive', async () => {
    for (const window of [
      { minutes: 0, bucketSeconds: 60 },
      { minutes: 30, bucketSeconds: -1 },
    ]) {
      await mirrorLagHistory(pool, window).then(
        () => expect.fail(`${JSON.stringify(window)} was accepted`),
        (error: unknown) => expect(error).to.be.instanceOf(RangeError),
      );
    }
  });
});
