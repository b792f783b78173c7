// Each marketplace's own projection on the live network: its mirror reads its own peer as its own
// org into its own database, so it holds the trades that marketplace is party to and no other's, and
// the roles of one org's projection reach no other database.
import { databasePoolConfig } from '@p2p-escrow/fabric-client';
import {
  gatewayDatabaseRole,
  postgresCaFile,
  postgresRoleUrl,
  projectionDatabase,
  projectionMirrorRole,
} from '@p2p-escrow/scripts';
import {
  CROSS_MARKET,
  GatewayPool,
  ensureDaemons,
  mirroredThrough,
  orgProjectionPool,
  SAME_MARKET_B,
  Trade,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { Client, type Pool } from 'pg';

/** Which of `escrowIds` the projection behind `db` holds. */
async function heldBy(db: Pool, escrowIds: string[]): Promise<string[]> {
  const result = await db.query<{ escrow_id: string }>(
    'SELECT escrow_id FROM escrows WHERE escrow_id = ANY($1) ORDER BY escrow_id',
    [escrowIds],
  );
  return result.rows.map((row) => row.escrow_id);
}

/** Signs in as `role` to `database`; resolves with the server's refusal, or 'connected'. */
async function signIn(role: string, database: string): Promise<string> {
  const client = new Client(
    databasePoolConfig({ url: postgresRoleUrl(role, database), caFile: postgresCaFile }),
  );
  try {
    await client.connect();
    return 'connected';
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("each marketplace's own projection on the live network", function () {
  this.timeout(180_000);
  const pool = new GatewayPool();
  let marketA: Pool;
  let marketB: Pool;

  before(async () => {
    await ensureDaemons(['mirror-marketa', 'mirror-marketb']);
    marketA = orgProjectionPool('MarketA');
    marketB = orgProjectionPool('MarketB');
  });

  after(async () => {
    pool.closeAll();
    await Promise.all([marketA.end(), marketB.end()]);
  });

  it("holds for MarketA its trade with MarketB and not MarketB's own trade; for MarketB both", async () => {
    const cross = new Trade(pool, CROSS_MARKET, 'org-projection-cross');
    const own = new Trade(pool, SAME_MARKET_B, 'org-projection-b-only');
    await cross.propose();
    await own.propose();
    await own.accept();
    await cross.accept();
    const last = cross.lastBlock > own.lastBlock ? cross.lastBlock : own.lastBlock;
    await Promise.all([mirroredThrough(marketA, last), mirroredThrough(marketB, last)]);

    const both = [cross.escrowId, own.escrowId].sort();
    expect(await heldBy(marketA, both)).to.deep.equal([cross.escrowId]);
    expect(await heldBy(marketB, both)).to.deep.equal(both);
    const state = await marketA.query<{ state: string }>('SELECT state FROM escrows WHERE escrow_id = $1', [
      cross.escrowId,
    ]);
    expect(state.rows[0]?.state).to.equal('CREATED');
  });

  it("admits to MarketA's projection its own roles only, and confines its mirror's role there", async () => {
    expect(await signIn(projectionMirrorRole('MarketA'), projectionDatabase('MarketA'))).to.equal(
      'connected',
    );
    expect(await signIn(gatewayDatabaseRole('MarketA'), projectionDatabase('MarketA'))).to.equal('connected');
    expect(await signIn(gatewayDatabaseRole('MarketB'), projectionDatabase('MarketA'))).to.match(
      /pg_hba\.conf/,
    );
    expect(await signIn(projectionMirrorRole('MarketB'), projectionDatabase('MarketA'))).to.match(
      /pg_hba\.conf/,
    );
    // A member of escrow_mirror, yet refused at the auditor's projection.
    expect(await signIn(projectionMirrorRole('MarketA'), 'escrow')).to.match(/pg_hba\.conf/);
  });
});
