// A redelivery asked for while an attempt of the same delivery is still in flight: the partner must get
// the event again, whatever that earlier attempt's outcome. The real delivery store and redelivery on
// PostgreSQL (a scratch schema): claim, redeliver, then the earlier attempt's failure or success.
import { LocalFileKeyProvider } from '@p2p-escrow/fabric-client';
import { projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as path from 'node:path';
import { eventIdOf } from '../mirror/blockEffects';
import { escrowRecord, escrowTx } from '../testing/blockBuilder';
import { projectFirstBlock } from '../testing/scratchProjection';
import { scratchSchema } from '../testing/scratchSchema';
import type { DueDelivery } from './deliveryStore';
import { parseCidr } from './endpointPolicy';
import { PgDeliveryStore } from './pgDeliveryStore';
import { PgWebhookRedelivery } from './pgWebhookRedelivery';
import { PgWebhookStore } from './pgWebhookStore';

const SCHEMA = 'redelivery_in_flight_check';
const LEASE_MS = 60_000;
const CAPACITY = { perEndpoint: 4, inFlight: new Map<bigint, number>() };

describe('a redelivery asked for while an attempt is in flight', function () {
  this.timeout(60_000);
  const scratch = scratchSchema(SCHEMA);
  let store: PgDeliveryStore;
  let redelivery: PgWebhookRedelivery;
  let subscriptionId = '';
  const eventId = eventIdOf('tx-in-flight', 0);

  before(async () => {
    await projectFirstBlock(SCHEMA, [
      escrowTx('tx-in-flight', 'EscrowCreated', escrowRecord('esc-in-flight')),
    ]);
    const keys = new LocalFileKeyProvider(path.join(scratch.keyDir, 'kek'));
    const subscriptions = new PgWebhookStore(scratch.pool, keys, {
      policy: { allowed: [parseCidr('127.0.0.1/32')] },
      maxSubscriptionsPerMarketplace: 20,
    });
    subscriptionId = (
      await subscriptions.create({
        marketplace: 'MarketA',
        url: 'http://127.0.0.1:9/hooks',
        eventTypes: [],
        retryBaseMs: 100,
        maxAttempts: 1,
      })
    ).subscription.id;
    store = new PgDeliveryStore(projectionPool(SCHEMA), keys);
    redelivery = new PgWebhookRedelivery(scratch.pool);
    const enqueued = await store.enqueue({
      eventId,
      eventType: 'EscrowCreated',
      escrowId: 'esc-in-flight',
      blockNumber: 1n,
      txIndex: 0,
      eventIndex: 0,
      payload: { eventId, escrowId: 'esc-in-flight' },
    });
    expect(enqueued).to.equal(1);
  });

  after(async () => {
    await store.close();
  });

  async function claimOne(): Promise<DueDelivery> {
    const due = await store.claimDue(10, LEASE_MS, CAPACITY);
    expect(due.map((delivery) => delivery.eventId)).to.deep.equal([eventId]);
    return due[0] as DueDelivery;
  }

  async function row(): Promise<{ status: string; attempts: number }> {
    const result = await scratch.pool.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM webhook_deliveries WHERE event_id = $1',
      [eventId],
    );
    return result.rows[0] ?? { status: 'missing', attempts: -1 };
  }

  it('keeps the redelivery when the earlier attempt fails for good after it, and sends it again', async () => {
    const earlier = await claimOne();
    expect(await redelivery.redeliver('MarketA', subscriptionId, [eventId])).to.equal(1);

    await store.recordFailure(earlier, 503, 'endpoint answered 503', { kind: 'dead' });

    expect(await row()).to.deep.equal({ status: 'pending', attempts: 0 });
    const again = await claimOne();
    expect(again.round).to.equal(earlier.round + 1);
    await store.recordFailure(again, 503, 'endpoint answered 503', { kind: 'dead' });
    expect(await row()).to.deep.equal({ status: 'dead', attempts: 1 });
  });

  it('keeps the redelivery when the earlier attempt succeeds after it, and sends it again', async () => {
    expect(await redelivery.redeliver('MarketA', subscriptionId, [eventId])).to.equal(1);
    const earlier = await claimOne();
    expect(await redelivery.redeliver('MarketA', subscriptionId, [eventId])).to.equal(1);

    await store.recordSuccess(earlier, 200);

    expect(await row()).to.deep.equal({ status: 'pending', attempts: 0 });
    await store.recordSuccess(await claimOne(), 200);
    expect(await row()).to.deep.equal({ status: 'delivered', attempts: 1 });
  });

  it('keeps a replay the same way', async () => {
    expect(await redelivery.redeliver('MarketA', subscriptionId, [eventId])).to.equal(1);
    const earlier = await claimOne();
    expect(await store.replay({ eventId }, BigInt(subscriptionId))).to.equal(1);

    await store.recordFailure(earlier, undefined, 'connect ECONNREFUSED', { kind: 'dead' });

    expect(await row()).to.deep.equal({ status: 'pending', attempts: 0 });
  });
});
