// Search benchmark at the SQL level: seeds N synthetic escrows into a scratch schema (never the live
// projection), then times representative searches built by the gateway's own query builder and prints
// a JSON summary (p50/p95/max per query and overall).
//   node bench/dist/seedSearch.js [--count 100000] [--schema search_bench] [--samples 200]
import { ESCROW_STATES } from '@p2p-escrow/chaincode';
import {
  buildEscrowSearch,
  databaseConfig,
  newPool,
  quoteIdentifier,
  toPage,
  type EscrowSearch,
} from '@p2p-escrow/offchain-db';
import {
  foundingMarketplaces,
  migrateOffchain,
  offchainOwnerDatabaseEnv,
  repoRoot,
} from '@p2p-escrow/scripts';
import { percentile } from '@p2p-escrow/testkit';
import * as fs from 'node:fs';
import * as path from 'node:path';

const USERS_PER_MARKETPLACE = 2000;
/** The topology's marketplaces: the synthetic trades are spread over them. */
const MARKETPLACES = foundingMarketplaces().map((marketplace) => marketplace.name);
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK'];
const WORDS = ['camera', 'lens', 'strap', 'bicycle', 'guitar', 'laptop', 'watch', 'jacket', 'lamp', 'sofa'];

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)] as T;
const randomUser = () => ({
  marketplace: pick(MARKETPLACES),
  userId: `user${String(Math.floor(Math.random() * USERS_PER_MARKETPLACE))}`,
});

/** One INSERT … SELECT over generate_series: the rows are built inside PostgreSQL. */
function seedSql(table: string): string {
  const array = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;
  return `
    INSERT INTO ${table} (escrow_id, state, buyer_marketplace, buyer_user_id, seller_marketplace, seller_user_id,
      currency, amount, funded_amount, buyer_refund, seller_payout, fee, fee_bps, fund_by, ship_by,
      inspection_period_seconds, inspection_ends_at, items, item_text, record, version, last_tx_id, last_block,
      created_at, updated_at)
    SELECT id, state, bm, bu, sm, su, cur, amount, 0, 0, 0, 0, 250, created + interval '1 day',
      created + interval '7 days', 259200, NULL,
      jsonb_build_array(jsonb_build_object('description', item, 'price', amount::text)), item,
      jsonb_build_object('escrowId', id, 'state', state, 'buyer', jsonb_build_object('marketplace', bm, 'userId', bu),
        'seller', jsonb_build_object('marketplace', sm, 'userId', su), 'currency', cur, 'amount', amount::text,
        'feeBps', 250, 'items', jsonb_build_array(jsonb_build_object('description', item, 'price', amount::text)),
        'fundBy', created + interval '1 day', 'shipBy', created + interval '7 days', 'fundedAmount', '0',
        'buyerRefund', '0', 'sellerPayout', '0', 'fee', '0'),
      1, md5(id), n, created, created + (random() * interval '20 days')
    FROM (
      SELECT n, 'bench-' || n AS id,
        (${array(ESCROW_STATES)})[1 + floor(random() * ${ESCROW_STATES.length})::int] AS state,
        (${array(MARKETPLACES)})[1 + floor(random() * ${MARKETPLACES.length})::int] AS bm,
        'user' || floor(random() * ${USERS_PER_MARKETPLACE})::int AS bu,
        (${array(MARKETPLACES)})[1 + floor(random() * ${MARKETPLACES.length})::int] AS sm,
        'user' || floor(random() * ${USERS_PER_MARKETPLACE})::int AS su,
        (${array(CURRENCIES)})[1 + floor(random() * ${CURRENCIES.length})::int] AS cur,
        (100 + floor(random() * 1000000))::numeric AS amount,
        initcap((${array(WORDS)})[1 + floor(random() * ${WORDS.length})::int]) || ' ' ||
          (${array(WORDS)})[1 + floor(random() * ${WORDS.length})::int] || ' model ' || md5(n::text) AS item,
        now() - random() * interval '365 days' AS created
      FROM generate_series(1, $1::int) AS n
    ) AS seed`;
}

const marketplaceNewest = (): Omit<EscrowSearch, 'limit'> => ({
  filters: {},
  scope: { kind: 'marketplace', marketplace: pick(MARKETPLACES) },
  sort: '-createdAt',
});

/** Representative searches, each drawn with fresh parameters per sample. */
const QUERIES: Record<string, () => Omit<EscrowSearch, 'limit'>> = {
  auditorNewest: () => ({ filters: {}, scope: { kind: 'all' }, sort: '-createdAt' }),
  marketplaceNewest,
  marketplaceByState: () => ({
    filters: { state: pick(ESCROW_STATES) },
    scope: { kind: 'marketplace', marketplace: pick(MARKETPLACES) },
    sort: '-updatedAt',
  }),
  partyOwn: () => ({ filters: {}, scope: { kind: 'party', party: randomUser() }, sort: '-createdAt' }),
  auditorByParty: () => ({ filters: { party: randomUser() }, scope: { kind: 'all' }, sort: '-createdAt' }),
  amountRangeCurrency: () => {
    const low = Math.floor(Math.random() * 900_000);
    return {
      filters: { currency: pick(CURRENCIES), amountMin: String(low), amountMax: String(low + 50_000) },
      scope: { kind: 'all' },
      sort: '-createdAt',
    };
  },
  createdLast30Days: () => {
    const end = Date.now() - Math.random() * 300 * 86_400_000;
    return {
      filters: {
        createdFrom: new Date(end - 30 * 86_400_000).toISOString(),
        createdTo: new Date(end).toISOString(),
      },
      scope: { kind: 'all' },
      sort: 'createdAt',
    };
  },
  marketplaceItemText: () => ({
    filters: { text: pick(WORDS) },
    scope: { kind: 'marketplace', marketplace: pick(MARKETPLACES) },
    sort: '-createdAt',
  }),
  auditorRareItemText: () => ({
    filters: {
      text: Math.floor(Math.random() * 0xffffff)
        .toString(16)
        .padStart(6, '0'),
    },
    scope: { kind: 'all' },
    sort: '-createdAt',
  }),
};

async function main(): Promise<void> {
  const count = Number(option('count', '100000'));
  const schema = option('schema', 'search_bench');
  const samples = Number(option('samples', '200'));
  const pageSize = 25;
  if (schema === 'public') throw new Error('the benchmark never writes the live projection (schema public)');
  const table = `${quoteIdentifier(schema)}.escrows`;

  await migrateOffchain(schema);
  const pool = newPool(databaseConfig(offchainOwnerDatabaseEnv(schema), 'search-bench'), 4);
  try {
    const seedBegan = Date.now();
    await pool.query(`TRUNCATE ${table}`);
    await pool.query(seedSql(table), [count]);
    await pool.query(`ANALYZE ${table}`);
    const seedSeconds = (Date.now() - seedBegan) / 1000;

    const timeOne = async (search: EscrowSearch): Promise<{ ms: number; rows: number; next?: string }> => {
      const query = buildEscrowSearch(search, table);
      const began = process.hrtime.bigint();
      const { rows } = await pool.query<{ escrow_id: string; sort_key: string; record: unknown }>(
        query.text,
        query.values,
      );
      const ms = Number(process.hrtime.bigint() - began) / 1e6;
      const page = toPage(search, rows, (record) => record);
      return {
        ms,
        rows: page.records.length,
        ...(page.nextCursor === undefined ? {} : { next: page.nextCursor }),
      };
    };

    const results: Record<string, { p50: number; p95: number; max: number; meanRows: number }> = {};
    const all: number[] = [];
    for (const [name, draw] of Object.entries(QUERIES)) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < samples; i++) {
        const timed = await timeOne({ ...draw(), limit: pageSize });
        times.push(timed.ms);
        rows += timed.rows;
      }
      all.push(...times);
      results[name] = summary(times, rows / samples);
    }
    // Deep pages: the 20th page of a marketplace's escrows, reached by following cursors.
    const deep: number[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(samples / 10)); i++) {
      let search: EscrowSearch = { ...marketplaceNewest(), limit: pageSize };
      for (let page = 0; page < 20; page++) {
        const query = buildEscrowSearch(search, table);
        const began = process.hrtime.bigint();
        const { rows } = await pool.query<{ escrow_id: string; sort_key: string; record: unknown }>(
          query.text,
          query.values,
        );
        const ms = Number(process.hrtime.bigint() - began) / 1e6;
        if (page === 19) deep.push(ms);
        const last = rows[pageSize - 1];
        if (last === undefined) break;
        search = { ...search, after: { sortKey: last.sort_key, escrowId: last.escrow_id } };
      }
    }
    all.push(...deep);
    results['marketplacePage20'] = summary(deep, pageSize);

    const report = {
      benchmark: 'escrow search (SQL level, gateway query builder)',
      schema,
      escrows: Number(
        (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0,
      ),
      seedSeconds,
      pageSize,
      samplesPerQuery: samples,
      overall: { p50: summary(all, 0).p50, p95: summary(all, 0).p95, max: summary(all, 0).max },
      queries: results,
      measuredAt: new Date().toISOString(),
    };
    const reportsDir = path.join(repoRoot, 'bench', 'reports');
    fs.mkdirSync(reportsDir, { recursive: true });
    fs.writeFileSync(path.join(reportsDir, 'search.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await pool.end();
  }
}

function summary(times: readonly number[], meanRows: number) {
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    max: round(Math.max(...times)),
    meanRows: round(meanRows),
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
