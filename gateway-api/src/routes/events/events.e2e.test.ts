// The events API end to end: a partner whose webhook endpoint is down for a whole escrow lifecycle
// (its deliveries given up) finds the failed events with `deliveryFailed=true`, catches up from
// GET /v1/events page by page with no gap in each escrow's sequence numbers, then asks for redelivery
// and receives the events, signed, carrying the same sequence numbers. Another marketplace may not
// see, read or redeliver a MarketA-only escrow's events.
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '@p2p-escrow/offchain-db';
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  allEvents,
  as,
  createRequest,
  eventsPage,
  eventually,
  PartnerEndpoint,
  payThroughProvider,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';

describe('gateway e2e: the events API and webhook redelivery', function () {
  this.timeout(240_000);
  const escrowId = uniqueEscrowId('events', 'e2e');
  const marketAOnly = uniqueEscrowId('events-a', 'e2e');
  const partner = new PartnerEndpoint(EVENT_ID_HEADER, SIGNATURE_HEADER);
  const other = new PartnerEndpoint(EVENT_ID_HEADER, SIGNATURE_HEADER);
  let subscription = { id: '', secret: '' };
  let marketBSubscription = '';
  const startedAt = new Date(Date.now() - 60_000).toISOString();

  before(async () => {
    subscription = await partner.subscribe('marketa-backend', { retryBaseMs: 100, maxAttempts: 2 });
    marketBSubscription = (await other.subscribe('marketb-backend')).id;
  });

  after(async () => {
    await as('marketa-backend', 'DELETE', `/v1/webhooks/${subscription.id}`).catch(() => undefined);
    await as('marketb-backend', 'DELETE', `/v1/webhooks/${marketBSubscription}`).catch(() => undefined);
    await Promise.all([partner.close(), other.close()]);
  });

  it('runs a whole lifecycle while the partner endpoint is down; its deliveries fail', async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    expect((await as('bea', 'POST', `/v1/escrows/${escrowId}/accept`, {})).status).to.equal(200);
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    const steps = [
      ['bea', 'ship', { carrier: 'DHL', trackingRef: 'EVT00001' }],
      ['alice', 'confirm-delivery', undefined],
      ['alice', 'release', {}],
    ] as const;
    for (const [caller, step, body] of steps) {
      const response = await as(caller, 'POST', `/v1/escrows/${escrowId}/${step}`, body);
      expect(response.status, `${step}: ${response.text}`).to.equal(200);
    }
    const failed = await eventually(
      'the six deliveries to the down endpoint to fail',
      async () => {
        const listed = await eventsPage('marketa-backend', `deliveryFailed=true&escrowId=${escrowId}`);
        return listed.records.length >= 6 ? listed.records : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(failed.map((event) => event.type)).to.deep.equal([
      'EscrowCreated',
      'EscrowAccepted',
      'PaymentConfirmed',
      'Shipped',
      'DeliveryConfirmed',
      'Released',
    ]);
    // The list counts a delivery as failed after its first failed attempt; the redelivery below comes
    // once the endpoint has refused both attempts of each, so no attempt of these is still on its way.
    const ids = failed.map((event) => event.eventId);
    await eventually(
      'both attempts of each delivery refused',
      () => (ids.every((id) => partner.refused.filter((one) => one === id).length >= 2) ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(partner.received).to.deep.equal([]);
  });

  it('lets the partner catch up page by page, in ledger order, with no gap in the sequence numbers', async () => {
    const events = await allEvents('marketa-backend', `escrowId=${escrowId}&pageSize=2`);

    expect(events.map((event) => event.sequence)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(events.every((event) => event['escrowId'] === escrowId)).to.equal(true);
    const agreement = await eventsPage('marketa-backend', `escrowId=${escrowId}&type=Escrow*`);
    expect(agreement.records.map((event) => event.type)).to.deep.equal(['EscrowCreated', 'EscrowAccepted']);
    const one = await as('bea', 'GET', `/v1/events/${encodeURIComponent(events[3]?.eventId ?? '')}`);
    expect(one.status, one.text).to.equal(200);
    expect(one.body).to.deep.equal(events[3]);
    const typo = await as('marketa-backend', 'GET', '/v1/events?type=escrow.released');
    expect(typo.status, typo.text).to.equal(400);
    const unknownType = await as('marketa-backend', 'GET', '/v1/events?type=Nothing*');
    expect(unknownType.body['code']).to.equal('UNKNOWN_EVENT_TYPE');
    const foreignCursor =
      (await eventsPage('marketa-backend', `escrowId=${escrowId}&pageSize=2`)).nextCursor ?? '';
    const reused = await as('marketa-backend', 'GET', `/v1/events?pageSize=2&cursor=${foreignCursor}`);
    expect(reused.body['code'], reused.text).to.equal('INVALID_CURSOR');
  });

  it('redelivers the time range to the endpoint once it is up, signed, with the same sequence numbers', async () => {
    partner.up = true;
    const events = await allEvents('marketa-backend', `escrowId=${escrowId}`);
    const redelivered = await as('marketa-backend', 'POST', `/v1/webhooks/${subscription.id}/redeliver`, {
      from: startedAt,
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(redelivered.status, redelivered.text).to.equal(202);
    expect(redelivered.body['queued']).to.be.at.least(6);
    const ids = events.map((event) => event.eventId);
    const received = await eventually(
      'the redelivered events of the escrow',
      () => {
        const ours = partner.received.filter((entry) => ids.includes(entry.eventId));
        return ours.length >= ids.length ? ours : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(received.map((entry) => entry.eventId)).to.deep.equal(ids);
    for (const [index, entry] of received.entries()) {
      expect(
        verifyWebhookSignature(subscription.secret, entry.signature, entry.body),
        entry.eventId,
      ).to.equal(true);
      expect(JSON.parse(entry.body)).to.deep.equal(events[index]);
    }
    const again = await as('marketa-backend', 'POST', `/v1/webhooks/${subscription.id}/redeliver`, {
      eventId: ids[5],
    });
    expect(again.status, again.text).to.equal(202);
    expect(again.body).to.include({ requested: 1, queued: 1 });
    await eventually('the single redelivery', () =>
      partner.received.filter((entry) => entry.eventId === ids[5]).length >= 2 ? true : undefined,
    );
    const cleared = await eventsPage('marketa-backend', `deliveryFailed=true&escrowId=${escrowId}`);
    expect(cleared.records).to.deep.equal([]);
  });

  it("refuses bad redelivery requests and another marketplace's webhook with typed errors", async () => {
    const path = `/v1/webhooks/${subscription.id}/redeliver`;
    const both = await as('marketa-backend', 'POST', path, { eventId: 'x', from: startedAt });
    expect(both.status, both.text).to.equal(400);
    const reversed = await as('marketa-backend', 'POST', path, {
      from: new Date().toISOString(),
      to: startedAt,
    });
    expect(reversed.body['code'], reversed.text).to.equal('INVALID_QUERY');
    const [first] = await allEvents('marketa-backend', `escrowId=${escrowId}`);
    const theirs = await as('marketa-backend', 'POST', `/v1/webhooks/${marketBSubscription}/redeliver`, {
      eventId: first?.eventId,
    });
    expect(theirs.status, theirs.text).to.equal(404);
    expect(theirs.body['code']).to.equal('WEBHOOK_NOT_FOUND');
    const byUser = await as('alice', 'POST', path, { eventId: first?.eventId });
    expect(byUser.body['code'], byUser.text).to.equal('ROLE_REQUIRED');
  });

  it("may not show MarketB a MarketA-only escrow's events, nor redeliver them", async () => {
    const created = await as(
      'marketa-backend',
      'POST',
      '/v1/escrows',
      createRequest(marketAOnly, { seller: { marketplace: 'MarketA', userId: 'amir' } }),
    );
    expect(created.status, created.text).to.equal(201);
    const [event] = await eventually('the MarketA-only escrow’s event in MarketA’s projection', async () => {
      const listed = await eventsPage('marketa-backend', `escrowId=${marketAOnly}`);
      return listed.records.length >= 1 ? listed.records : undefined;
    });
    const eventId = encodeURIComponent(event?.eventId ?? '');
    for (const caller of ['marketb-backend', 'bea', 'bob'] as const) {
      expect((await eventsPage(caller, `escrowId=${marketAOnly}`)).records, caller).to.deep.equal([]);
      const read = await as(caller, 'GET', `/v1/events/${eventId}`);
      expect(read.status, `${caller}: ${read.text}`).to.equal(404);
      expect(read.body['code']).to.equal('EVENT_NOT_FOUND');
    }
    const unknown = await as('marketb-backend', 'GET', `/v1/events/${'0'.repeat(64)}:0`);
    expect(unknown.body).to.include({ status: 404, code: 'EVENT_NOT_FOUND' });
    const everything = await allEvents('marketb-backend', `from=${encodeURIComponent(startedAt)}`);
    expect(everything.some((entry) => entry['escrowId'] === marketAOnly)).to.equal(false);
    const redeliver = await as('marketb-backend', 'POST', `/v1/webhooks/${marketBSubscription}/redeliver`, {
      eventId: event?.eventId,
    });
    expect(redeliver.status, redeliver.text).to.equal(404);
    expect(redeliver.body['code']).to.equal('EVENT_NOT_FOUND');
  });
});
