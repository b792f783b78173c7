// PostgreSQL's trust boundary: over TCP it speaks TLS only, to clients that verify its certificate;
// each service signs in as its own role and is refused, with PostgreSQL's permission error, outside
// the grants its job needs. Privileges are probed with statements that touch no row (`WHERE false`):
// PostgreSQL checks them before it reads anything.
import {
  caCertPath,
  escrowServiceRole,
  escrowServices,
  gatewayDatabaseRole,
  gatewayDatabaseSchema,
  paymentsDatabaseRole,
  paymentsDatabaseSchema,
  settlementOrgs,
  peerOrgs,
  type EscrowService,
} from '@p2p-escrow/scripts';
import {
  escrowDatabaseAs,
  postgresConnectionError,
  postgresEndpoint,
  requireRunningNetwork,
  type EscrowDatabaseRole,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

/** SQLSTATE insufficient_privilege. */
const PERMISSION_DENIED = '42501';

/** The SQLSTATE `sql` fails with as `role`, or 'ok'. */
async function outcomeOf(role: EscrowDatabaseRole, sql: string): Promise<string> {
  const client = await escrowDatabaseAs(role);
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  } finally {
    await client.end();
  }
}

/** What each service's job needs (must pass) and what lies outside it (must be refused). */
const boundaries: Record<EscrowService, { allowed: string[]; refused: string[] }> = {
  risk: {
    allowed: [
      `SELECT escrow_id, buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id FROM escrows LIMIT 1`,
      `SELECT count(*) FROM transitions`,
      `INSERT INTO risk.decisions (event_id) SELECT 'probe' WHERE false`,
      `UPDATE risk.consumer_checkpoint SET last_offset = last_offset WHERE false`,
      `UPDATE risk.holds SET status = status WHERE false`,
    ],
    refused: [
      `SELECT record FROM escrows LIMIT 1`,
      `INSERT INTO escrows (escrow_id) SELECT 'probe' WHERE false`,
      `UPDATE risk.decisions SET action = action WHERE false`,
      `SELECT secret FROM webhook_subscriptions LIMIT 1`,
      `SELECT sealed FROM gateway_oversight.fabric_identities LIMIT 1`,
    ],
  },
  mirror: {
    allowed: [
      `INSERT INTO escrows (escrow_id) SELECT 'probe' WHERE false`,
      `UPDATE checkpoint SET last_block = last_block WHERE false`,
      `INSERT INTO outbox (event_id) SELECT 'probe' WHERE false`,
      `INSERT INTO quarantine (tx_id) SELECT 'probe' WHERE false`,
    ],
    refused: [
      `SELECT secret FROM webhook_subscriptions LIMIT 1`,
      `SELECT sealed FROM gateway_marketa.fabric_identities LIMIT 1`,
      `UPDATE outbox SET sent_at = now() WHERE false`,
    ],
  },
  relay: {
    allowed: [`SELECT count(*) FROM outbox`, `UPDATE outbox SET sent_at = now(), attempts = 1 WHERE false`],
    refused: [
      `INSERT INTO escrows (escrow_id) SELECT 'probe' WHERE false`,
      `INSERT INTO outbox (event_id) SELECT 'probe' WHERE false`,
      `UPDATE outbox SET payload = payload WHERE false`,
      `SELECT secret FROM webhook_subscriptions LIMIT 1`,
    ],
  },
  notifier: {
    allowed: [
      `SELECT escrow_id, buyer_marketplace, seller_marketplace FROM escrows LIMIT 1`,
      `SELECT secret FROM webhook_subscriptions LIMIT 1`,
      `INSERT INTO webhook_deliveries (subscription_id) SELECT 1 WHERE false`,
    ],
    refused: [
      `SELECT sealed FROM gateway_oversight.fabric_identities LIMIT 1`,
      `SELECT record FROM escrows LIMIT 1`,
      `INSERT INTO outbox (event_id) SELECT 'probe' WHERE false`,
      `UPDATE webhook_subscriptions SET url = url WHERE false`,
    ],
  },
  keeper: {
    allowed: [`SELECT escrow_id, state, fund_by, inspection_ends_at FROM escrows LIMIT 1`],
    refused: [
      `SELECT record FROM escrows LIMIT 1`,
      `UPDATE escrows SET state = state WHERE false`,
      `SELECT url FROM webhook_subscriptions LIMIT 1`,
    ],
  },
  reconcile: {
    allowed: [
      `SELECT count(*) FROM escrows`,
      `SELECT count(*) FROM transitions`,
      `SELECT count(*) FROM quarantine`,
    ],
    refused: [`UPDATE checkpoint SET last_block = last_block WHERE false`, `DELETE FROM escrows WHERE false`],
  },
  // The review-ring job reads who traded and rated whom, and records its runs; nothing else.
  review_rings: {
    allowed: [
      `SELECT escrow_id, buyer_user_id, seller_user_id, currency, funded_amount FROM escrows WHERE false`,
      `SELECT escrow_id, reviewer, subject_user_id, rating FROM reviews WHERE false`,
      `SELECT last_block FROM checkpoint WHERE false`,
      `INSERT INTO review_ring_runs (run_id) SELECT 'probe' WHERE false`,
      `INSERT INTO review_ring_flagged_reviews (run_id) SELECT 'probe' WHERE false`,
    ],
    refused: [
      `SELECT record FROM escrows WHERE false`,
      `SELECT text_hash FROM reviews WHERE false`,
      `UPDATE escrows SET state = state WHERE false`,
      `DELETE FROM review_ring_runs WHERE false`,
      `UPDATE review_ring_flagged_reviews SET rating = rating WHERE false`,
      `SELECT secret FROM webhook_subscriptions LIMIT 1`,
    ],
  },
  // What every org's gateway may do on the shared tables (each org's role is a member of it).
  gateway: {
    allowed: [
      `SELECT count(*) FROM escrows`,
      `INSERT INTO webhook_subscriptions (marketplace) SELECT 'probe' WHERE false`,
      `SELECT subject_user_id, rating FROM review_ring_flagged_reviews WHERE false`,
    ],
    refused: [
      `SELECT escrow_id, reviewer_user_id FROM review_ring_flagged_reviews WHERE false`,
      `INSERT INTO review_ring_runs (run_id) SELECT 'probe' WHERE false`,
      `SELECT count(*) FROM gateway_marketa.fabric_identities`,
      `INSERT INTO escrows (escrow_id) SELECT 'probe' WHERE false`,
      `UPDATE checkpoint SET last_block = last_block WHERE false`,
      `INSERT INTO outbox (event_id) SELECT 'probe' WHERE false`,
    ],
  },
};

describe('PostgreSQL: TLS only, and one role per service with only its grants', function () {
  this.timeout(120_000);

  before(async () => {
    await requireRunningNetwork();
  });

  it(`refuses a TCP connection without TLS (${postgresEndpoint})`, async () => {
    const error = await postgresConnectionError('mirror', 'none');
    expect(error?.message).to.match(/no encryption/);
  });

  it('is refused by a client that verifies it against another CA', async () => {
    const otherCa = fs.readFileSync(caCertPath('MarketA'), 'utf8');
    const error = await postgresConnectionError('mirror', { caPem: otherCa });
    expect(String((error as { code?: unknown } | undefined)?.code)).to.match(/CERT|VERIFY|SIGNATURE/);
  });

  it('lets a service role into the escrow database only', async () => {
    const client = await escrowDatabaseAs('notifier');
    try {
      const { rows } = await client.query<{ role: string; tls: boolean }>(
        'SELECT current_user AS role, ssl AS tls FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      expect(rows).to.deep.equal([{ role: 'escrow_notifier', tls: true }]);
    } finally {
      await client.end();
    }
    const keycloakDatabase = await postgresConnectionError('gateway', 'verified', 'keycloak');
    expect(keycloakDatabase?.message).to.match(/permission denied for database "keycloak"/);
  });

  for (const service of escrowServices) {
    it(`${escrowServiceRole(service)} can do its job and is refused outside it`, async () => {
      const { allowed, refused } = boundaries[service];
      for (const sql of allowed) expect(await outcomeOf(service, sql), sql).to.equal('ok');
      for (const sql of refused) expect(await outcomeOf(service, sql), sql).to.equal(PERMISSION_DENIED);
    });
  }

  for (const { name: org } of peerOrgs) {
    it(`${gatewayDatabaseRole(org)} uses its own gateway tables and the projection, and no other org's tables`, async () => {
      const role = `gateway:${org}` as const;
      const own = gatewayDatabaseSchema(org);
      for (const sql of [
        `SELECT count(*) FROM ${own}.fabric_identities`,
        `DELETE FROM ${own}.idempotency_keys WHERE false`,
        `SELECT count(*) FROM ${own}.submitted_transactions`,
        `SELECT count(*) FROM escrows`,
      ])
        expect(await outcomeOf(role, sql), sql).to.equal('ok');
      for (const { name: other } of peerOrgs.filter((candidate) => candidate.name !== org))
        for (const table of ['fabric_identities', 'idempotency_keys', 'submitted_transactions'])
          expect(
            await outcomeOf(role, `SELECT count(*) FROM ${gatewayDatabaseSchema(other)}.${table}`),
            `${org} reading ${other}'s ${table}`,
          ).to.equal(PERMISSION_DENIED);
      expect(await outcomeOf(role, `INSERT INTO escrows (escrow_id) SELECT 'probe' WHERE false`)).to.equal(
        PERMISSION_DENIED,
      );
    });
  }

  for (const org of settlementOrgs()) {
    it(`${paymentsDatabaseRole(org)} uses its own payee accounts and parked settlements, and nothing else`, async () => {
      const role = `payments:${org}` as const;
      const own = paymentsDatabaseSchema(org);
      for (const sql of [
        `SELECT count(*) FROM ${own}.payee_accounts`,
        `DELETE FROM ${own}.parked_settlements WHERE false`,
      ])
        expect(await outcomeOf(role, sql), sql).to.equal('ok');
      for (const other of settlementOrgs().filter((candidate) => candidate !== org))
        expect(
          await outcomeOf(role, `SELECT count(*) FROM ${paymentsDatabaseSchema(other)}.payee_accounts`),
          `${org} reading ${other}'s payee accounts`,
        ).to.equal(PERMISSION_DENIED);
      expect(await outcomeOf(role, 'SELECT count(*) FROM escrows')).to.equal(PERMISSION_DENIED);
      // Where a marketplace pays its sellers is its own: no gateway or off-chain service reads it.
      expect(await outcomeOf(`gateway:${org}`, `SELECT count(*) FROM ${own}.payee_accounts`)).to.equal(
        PERMISSION_DENIED,
      );
      expect(await outcomeOf('notifier', `SELECT count(*) FROM ${own}.payee_accounts`)).to.equal(
        PERMISSION_DENIED,
      );
    });
  }

  it('refuses every service a table a later migration adds without granting it', async () => {
    const table = `added_later_${crypto.randomBytes(4).toString('hex')}`;
    const owner = await escrowDatabaseAs('owner');
    try {
      await owner.query(`CREATE TABLE public.${table} (x integer)`);
      for (const service of escrowServices)
        expect(await outcomeOf(service, `SELECT x FROM public.${table}`), service).to.equal(
          PERMISSION_DENIED,
        );
    } finally {
      await owner.query(`DROP TABLE IF EXISTS public.${table}`);
      await owner.end();
    }
  });
});
