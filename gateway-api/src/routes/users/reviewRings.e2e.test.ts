// A review ring planted through the gateways and found on the live projection: three new users (two
// marketplaces) buy from each other in a circle and rate each other five stars, and an honest pair
// trades once with five stars both ways. `operator review-rings` flags the three and not the pair;
// with --apply, their reputation is also reported without the flagged reviews; applying the same run
// again records nothing.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  addRealmUser,
  as,
  call,
  createRequest,
  eventually,
  gatewayUrlOf,
  passwordToken,
  payThroughProvider,
  projectionPool,
  repoRoot,
  uniqueEscrowId,
  type Backend,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as path from 'node:path';

interface Party {
  readonly marketplace: 'MarketA' | 'MarketB';
  readonly userId: string;
  readonly password: string;
}

const BACKENDS: Record<Party['marketplace'], Backend> = {
  MarketA: 'marketa-backend',
  MarketB: 'marketb-backend',
};

const run = crypto.randomBytes(4).toString('hex');
const party = (marketplace: Party['marketplace'], name: string): Party => ({
  marketplace,
  userId: `${name}-${run}`,
  password: crypto.randomBytes(18).toString('base64url'),
});

async function sends(who: Party, method: string, route: string, body?: unknown) {
  const token = await passwordToken(who.userId, who.password, undefined, who.marketplace);
  return call(method, route, body, { token, baseUrl: gatewayUrlOf(who.marketplace) });
}

/** `buyer` buys from `seller` through their own gateways, to release, and both rate the other 5. */
async function trade(buyer: Party, seller: Party): Promise<string> {
  const escrowId = uniqueEscrowId('ring', 'e2e');
  const route = `/v1/escrows/${escrowId}`;
  const request = createRequest(escrowId, {
    buyer: { marketplace: buyer.marketplace, userId: buyer.userId },
    seller: { marketplace: seller.marketplace, userId: seller.userId },
  });
  const steps: [string, () => ReturnType<typeof call>][] = [
    ['create', () => as(BACKENDS[buyer.marketplace], 'POST', '/v1/escrows', request)],
    ['accept', () => sends(seller, 'POST', `${route}/accept`, {})],
  ];
  for (const [step, send] of steps) {
    const answer = await send();
    expect(answer.status, `${step}: ${answer.text}`).to.be.oneOf([200, 201]);
  }
  const paid = await payThroughProvider(escrowId, BACKENDS[buyer.marketplace], paymentSucceededDelivery);
  expect(paid.delivery.status, paid.delivery.text).to.equal(200);
  await eventually(`${escrowId} funded`, async () =>
    (await sends(seller, 'GET', route)).body['state'] === 'FUNDED' ? true : undefined,
  );
  const moves: [string, Party, string, unknown][] = [
    ['ship', seller, `${route}/ship`, { carrier: 'DHL', trackingRef: `R${run}` }],
    ['confirm', buyer, `${route}/confirm-delivery`, undefined],
    ['release', buyer, `${route}/release`, {}],
    ['buyer review', buyer, `${route}/reviews`, { rating: 5, textHash: 'c'.repeat(64) }],
    ['seller review', seller, `${route}/reviews`, { rating: 5, textHash: 'd'.repeat(64) }],
  ];
  for (const [step, who, target, body] of moves) {
    const answer = await sends(who, 'POST', target, body);
    expect(answer.status, `${step}: ${answer.text}`).to.be.oneOf([200, 201]);
  }
  return escrowId;
}

interface JobOutput {
  readonly runId: string;
  readonly projectionBlock: string;
  readonly recorded: string;
  readonly groups: { readonly members: { marketplace: string; userId: string }[] }[];
}

function reviewRingsJob(...args: string[]): Promise<JobOutput> {
  const operator = path.join(repoRoot, 'scripts', 'dist', 'operator', 'main.js');
  return new Promise((resolve, reject) => {
    execFile(
      'node',
      [operator, 'review-rings', '--json', ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`review-rings failed: ${stderr}`));
        else resolve(JSON.parse(stdout) as JobOutput);
      },
    );
  });
}

async function reputationOf(reader: Party, subject: Party) {
  const answer = await sends(reader, 'GET', `/v1/users/${subject.marketplace}/${subject.userId}/reputation`);
  expect(answer.status, answer.text).to.equal(200);
  return answer.body;
}

describe('gateway e2e: a review ring planted through the gateways is flagged, and reputation shown without it', function () {
  this.timeout(300_000);
  const ring = [party('MarketA', 'ring1'), party('MarketB', 'ring2'), party('MarketA', 'ring3')] as const;
  const honest = [party('MarketA', 'honest1'), party('MarketB', 'honest2')] as const;
  const labels = (members: readonly { marketplace: string; userId: string }[]) =>
    members.map((member) => `${member.marketplace}/${member.userId}`).sort();

  before(async () => {
    for (const each of [...ring, ...honest])
      await addRealmUser(each.marketplace, {
        username: each.userId,
        password: each.password,
        roles: ['buyer', 'seller'],
        marketplace: each.marketplace,
      });
  });

  it('walks three circular trades in the ring and one honest trade, each reviewed both ways', async () => {
    // One after the other: each trade enrolls its new users at their orgs' CAs.
    const escrows: string[] = [];
    for (const [buyer, seller] of [
      [ring[0], ring[1]],
      [ring[1], ring[2]],
      [ring[2], ring[0]],
      [honest[0], honest[1]],
    ] as const)
      escrows.push(await trade(buyer, seller));
    // The job reads the auditor's projection: wait until it holds the eight reviews.
    const pool = projectionPool();
    try {
      await eventually(
        'the projection to hold the reviews',
        async () => {
          const { rows } = await pool.query<{ count: number }>(
            'SELECT count(*)::int AS count FROM reviews WHERE escrow_id = ANY($1)',
            [escrows],
          );
          return rows[0]?.count === 8 ? true : undefined;
        },
        { timeoutMs: 60_000 },
      );
    } finally {
      await pool.end();
    }
  });

  it('finds the ring and not the honest pair; without --apply nothing changes', async () => {
    const dry = await reviewRingsJob();
    expect(dry.recorded).to.match(/^not recorded/);
    const mine = dry.groups.filter((group) => group.members.some((member) => member.userId.endsWith(run)));
    expect(mine.map((group) => labels(group.members))).to.deep.equal([labels(ring)]);
    const before = await reputationOf(honest[0], ring[0]);
    expect(before).to.deep.include({ reviewCount: 2, averageRating: 5, flaggedReviews: 0 });
    expect(before['excludingFlaggedReviews']).to.deep.equal({ count: 2, average: 5 });
  });

  it('with --apply reports the ring members’ reputation without their mutual reviews, and the honest pair’s unchanged', async () => {
    const applied = await reviewRingsJob('--apply');
    expect(applied.recorded).to.equal('recorded');
    for (const member of ring) {
      const reputation = await reputationOf(honest[1], member);
      expect(reputation, member.userId).to.deep.include({
        reviewCount: 2,
        averageRating: 5,
        flaggedReviews: 2,
      });
      expect(reputation['excludingFlaggedReviews']).to.deep.equal({ count: 0, average: null });
    }
    for (const each of honest) {
      const reputation = await reputationOf(ring[0], each);
      expect(reputation, each.userId).to.deep.include({ reviewCount: 1, flaggedReviews: 0 });
      expect(reputation['excludingFlaggedReviews']).to.deep.equal({ count: 1, average: 5 });
    }
    const again = await reviewRingsJob('--apply');
    if (again.projectionBlock === applied.projectionBlock) {
      expect(again.runId).to.equal(applied.runId);
      expect(again.recorded).to.equal('already recorded');
    }
  });
});
