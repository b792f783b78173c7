// Escrow search through the gateway: escrows created by the partner backends (mirrored from the ledger
// into PostgreSQL), then filters, cursor pagination and each role's visibility. A marker word in the
// item descriptions keeps this run's escrows apart from everything else on the shared stack.
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  as,
  createRequest,
  payThroughProvider,
  uniqueEscrowId,
  type Backend,
  type Caller,
} from '@p2p-escrow/testkit';

interface Seed {
  readonly label: string;
  readonly creator: Caller;
  readonly buyer: [string, string];
  readonly seller: [string, string];
  readonly currency: string;
  readonly amount: string;
  /** The counterparty who accepts the proposal, for seeds that are funded. */
  readonly acceptAs?: Caller;
  /** The buyer's marketplace backend that asks for the payment its payments service funds. */
  readonly fundAs?: Backend;
}

const SEEDS: readonly Seed[] = [
  {
    label: 'ab1',
    creator: 'marketa-backend',
    buyer: ['MarketA', 'alice'],
    seller: ['MarketB', 'bea'],
    currency: 'EUR',
    amount: '1000',
  },
  {
    label: 'ab2',
    creator: 'marketa-backend',
    buyer: ['MarketA', 'alice'],
    seller: ['MarketB', 'bea'],
    currency: 'EUR',
    amount: '2000',
  },
  {
    label: 'ab3',
    creator: 'marketa-backend',
    buyer: ['MarketA', 'alice'],
    seller: ['MarketB', 'bea'],
    currency: 'EUR',
    amount: '3000',
  },
  {
    label: 'bb1',
    creator: 'marketb-backend',
    buyer: ['MarketB', 'bob'],
    seller: ['MarketB', 'bea'],
    currency: 'USD',
    amount: '5000',
  },
  {
    label: 'bb2',
    creator: 'marketb-backend',
    buyer: ['MarketB', 'bob'],
    seller: ['MarketB', 'bea'],
    currency: 'USD',
    amount: '7000',
  },
  {
    label: 'ba1',
    creator: 'marketb-backend',
    buyer: ['MarketB', 'bob'],
    seller: ['MarketA', 'amir'],
    currency: 'EUR',
    amount: '4000',
  },
  {
    label: 'aa1',
    creator: 'marketa-backend',
    buyer: ['MarketA', 'alice'],
    seller: ['MarketA', 'amir'],
    currency: 'EUR',
    amount: '6000',
    acceptAs: 'amir',
    fundAs: 'marketa-backend',
  },
];

type Listed = { escrowId: string; state: string; amount: string };

describe('gateway e2e: escrow search', function () {
  this.timeout(180_000);
  const marker = `srch${crypto.randomBytes(4).toString('hex')}`;
  const ids = new Map<string, string>();
  const label = (escrowId: string) => [...ids].find(([, id]) => id === escrowId)?.[0] ?? escrowId;
  const startedAt = new Date(Date.now() - 60_000).toISOString();

  async function search(caller: Caller, query: string): Promise<{ records: Listed[]; nextCursor?: string }> {
    const response = await as(caller, 'GET', `/v1/escrows?q=${marker}&${query}`);
    expect(response.status, response.text).to.equal(200);
    return response.body as unknown as { records: Listed[]; nextCursor?: string };
  }

  async function labels(caller: Caller, query = ''): Promise<string[]> {
    return (await search(caller, `pageSize=100&${query}`)).records
      .map((record) => label(record.escrowId))
      .sort();
  }

  before(async () => {
    await Promise.all(
      SEEDS.map(async (seed) => {
        const escrowId = uniqueEscrowId(`search-${seed.label}`, 'e2e');
        ids.set(seed.label, escrowId);
        const body = createRequest(escrowId, {
          buyer: { marketplace: seed.buyer[0], userId: seed.buyer[1] },
          seller: { marketplace: seed.seller[0], userId: seed.seller[1] },
          currency: seed.currency,
          items: [{ description: `Lens ${marker} ${seed.label}`, price: seed.amount }],
        });
        const created = await as(seed.creator, 'POST', '/v1/escrows', body);
        expect(created.status, created.text).to.equal(201);
        if (seed.acceptAs !== undefined) {
          const accepted = await as(seed.acceptAs, 'POST', `/v1/escrows/${escrowId}/accept`, {});
          expect(accepted.status, accepted.text).to.equal(200);
        }
        if (seed.fundAs !== undefined) {
          const paid = await payThroughProvider(escrowId, seed.fundAs, paymentSucceededDelivery);
          expect(paid.delivery.status, paid.delivery.text).to.equal(200);
        }
      }),
    );
    // The mirror applies each block shortly after it commits: poll the API, bounded.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const all = await search('oscar', 'pageSize=100');
      const mirrored = all.records.length === SEEDS.length && all.records.some((r) => r.state === 'FUNDED');
      if (mirrored) break;
      if (Date.now() > deadline) expect.fail(`mirror did not catch up: ${JSON.stringify(all.records)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  it('pages through every match without gaps or duplicates, in a stable order', async () => {
    for (const sort of ['-createdAt', 'createdAt', '-updatedAt', 'updatedAt']) {
      const whole = (await search('oscar', `pageSize=100&sort=${sort}`)).records.map((r) => r.escrowId);
      const paged: string[] = [];
      let cursor: string | undefined = '';
      let pages = 0;
      while (cursor !== undefined) {
        const page = await search('oscar', `pageSize=2&sort=${sort}&cursor=${encodeURIComponent(cursor)}`);
        expect(page.records.length).to.be.at.most(2);
        paged.push(...page.records.map((r) => r.escrowId));
        cursor = page.nextCursor;
        pages += 1;
      }
      expect(pages, sort).to.equal(Math.ceil(SEEDS.length / 2));
      expect(paged, sort).to.deep.equal(whole);
      expect(new Set(paged).size, sort).to.equal(SEEDS.length);
    }
  });

  it('filters by state, currency, amount range, party, marketplace, dates and item text', async () => {
    expect(await labels('oscar', 'state=FUNDED')).to.deep.equal(['aa1']);
    expect(await labels('oscar', 'currency=USD')).to.deep.equal(['bb1', 'bb2']);
    expect(await labels('oscar', 'amountMin=2000&amountMax=4000')).to.deep.equal(['ab2', 'ab3', 'ba1']);
    expect(await labels('oscar', 'currency=EUR&amountMin=3500')).to.deep.equal(['aa1', 'ba1']);
    expect(await labels('oscar', 'marketplace=MarketA&userId=alice')).to.deep.equal([
      'aa1',
      'ab1',
      'ab2',
      'ab3',
    ]);
    expect(await labels('oscar', 'marketplace=MarketA&userId=amir')).to.deep.equal(['aa1', 'ba1']);
    expect(await labels('oscar', 'marketplace=MarketA')).to.deep.equal(['aa1', 'ab1', 'ab2', 'ab3', 'ba1']);
    expect(await labels('oscar', `createdFrom=${encodeURIComponent(startedAt)}`)).to.have.length(
      SEEDS.length,
    );
    expect(await labels('oscar', `createdTo=${encodeURIComponent(startedAt)}`)).to.deep.equal([]);
    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    expect(await labels('oscar', `updatedFrom=${future}`)).to.deep.equal([]);
    expect(await labels('oscar', `updatedTo=${future}`)).to.have.length(SEEDS.length);
    const oneItem = await as(
      'oscar',
      'GET',
      `/v1/escrows?q=${encodeURIComponent(`${marker.toUpperCase()} bb2`)}`,
    );
    expect((oneItem.body['records'] as Listed[]).map((r) => label(r.escrowId))).to.deep.equal(['bb2']);
  });

  it('shows each role only what it may see', async () => {
    const expected: Record<string, string[]> = {
      oscar: ['aa1', 'ab1', 'ab2', 'ab3', 'ba1', 'bb1', 'bb2'],
      olivia: ['aa1', 'ab1', 'ab2', 'ab3', 'ba1', 'bb1', 'bb2'],
      'marketa-backend': ['aa1', 'ab1', 'ab2', 'ab3', 'ba1'],
      'marketb-backend': ['ab1', 'ab2', 'ab3', 'ba1', 'bb1', 'bb2'],
      alice: ['aa1', 'ab1', 'ab2', 'ab3'],
      amir: ['aa1', 'ba1'],
      bob: ['ba1', 'bb1', 'bb2'],
      bea: ['ab1', 'ab2', 'ab3', 'bb1', 'bb2'],
    };
    for (const [caller, visible] of Object.entries(expected))
      expect(await labels(caller as Caller), caller).to.deep.equal(visible);
    // Filters narrow within the caller's scope; they never widen it.
    expect(await labels('marketa-backend', 'marketplace=MarketB')).to.deep.equal([
      'ab1',
      'ab2',
      'ab3',
      'ba1',
    ]);
    expect(await labels('alice', 'marketplace=MarketB&userId=bob')).to.deep.equal([]);
    expect(await labels('bob', 'state=FUNDED')).to.deep.equal([]);
  });

  it('refuses a cursor of another search and malformed filters', async () => {
    const first = await search('oscar', 'pageSize=2&currency=EUR');
    expect(first.nextCursor).to.be.a('string');
    const cursor = encodeURIComponent(first.nextCursor ?? '');
    const reused = await as(
      'oscar',
      'GET',
      `/v1/escrows?q=${marker}&pageSize=2&currency=USD&cursor=${cursor}`,
    );
    expect([reused.status, reused.body['code']]).to.deep.equal([400, 'INVALID_CURSOR']);
    const otherCaller = await as(
      'marketa-backend',
      'GET',
      `/v1/escrows?q=${marker}&pageSize=2&currency=EUR&cursor=${cursor}`,
    );
    expect([otherCaller.status, otherCaller.body['code']]).to.deep.equal([400, 'INVALID_CURSOR']);
    const garbage = await as('oscar', 'GET', '/v1/escrows?cursor=bm90LWEtY3Vyc29y');
    expect([garbage.status, garbage.body['code']]).to.deep.equal([400, 'INVALID_CURSOR']);
    for (const bad of [
      'amountMin=12.5',
      'currency=eur',
      'createdFrom=yesterday',
      'sort=amount',
      'pageSize=101',
    ]) {
      const response = await as('oscar', 'GET', `/v1/escrows?${bad}`);
      expect(response.status, `${bad}: ${response.text}`).to.equal(400);
    }
  });
});
