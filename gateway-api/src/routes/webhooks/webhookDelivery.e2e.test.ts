// Webhook delivery end to end: partner endpoints (local HTTP receivers) registered through the gateway
// with MarketA's backend token, a real escrow lifecycle through the gateway, and the running notifier
// delivering its Kafka events: signed (verifyWebhookSignature), in ledger order, retried after 5xx,
// dead-lettered after the attempt limit without holding up the healthy endpoint, signed with both
// secrets during a rotation, and delivered again by the replay command. Endpoints on loopback (beside
// the 127.0.0.1 the local stack allows for these receivers), private, link-local or metadata addresses
// are refused at registration, and a marketplace holds a bounded number of subscriptions.
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '@p2p-escrow/offchain-db';
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  as,
  createRequest,
  payThroughProvider,
  projectionPool,
  repoRoot,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Pool } from 'pg';

interface Received {
  readonly eventId: string;
  readonly escrowId: string;
  readonly type: string;
  readonly signature: string | undefined;
  readonly body: string;
  readonly attempt: string | undefined;
}

/** A partner endpoint on 127.0.0.1: records every POST and answers with `statusFor`. */
class Receiver {
  readonly received: Received[] = [];
  private readonly server: http.Server;
  private readonly requestsPerEvent = new Map<string, number>();

  constructor(private readonly statusFor: (requestNumberForEvent: number) => number) {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const eventId = String(request.headers[EVENT_ID_HEADER.toLowerCase()] ?? '');
        const count = (this.requestsPerEvent.get(eventId) ?? 0) + 1;
        this.requestsPerEvent.set(eventId, count);
        const status = this.statusFor(count);
        if (status >= 200 && status < 300) {
          const parsed = JSON.parse(body) as { escrowId?: string; type?: string };
          const signature = request.headers[SIGNATURE_HEADER.toLowerCase()];
          const attempt = request.headers['x-escrow-delivery-attempt'];
          this.received.push({
            eventId,
            escrowId: parsed.escrowId ?? '',
            type: parsed.type ?? '',
            signature: typeof signature === 'string' ? signature : undefined,
            body,
            attempt: typeof attempt === 'string' ? attempt : undefined,
          });
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  requestsFor(eventId: string): number {
    return this.requestsPerEvent.get(eventId) ?? 0;
  }

  of(escrowId: string): Received[] {
    return this.received.filter((entry) => entry.escrowId === escrowId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}

interface Subscription {
  readonly id: string;
  readonly secret: string;
}

/** Polls `condition` until it returns a value (not undefined) or the deadline passes. */
async function eventually<T>(
  what: string,
  condition: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function runNode(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${script} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('gateway e2e: webhook delivery by the notifier', function () {
  this.timeout(180_000);
  const escrowId = uniqueEscrowId('hook', 'e2e');
  const laterEscrowId = uniqueEscrowId('hook2', 'e2e');
  const healthy = new Receiver(() => 200);
  const flaky = new Receiver((n) => (n <= 2 ? 500 : 200));
  const failing = new Receiver(() => 500);
  const subscriptions: Record<'healthy' | 'flaky' | 'failing', Subscription | undefined> = {
    healthy: undefined,
    flaky: undefined,
    failing: undefined,
  };
  let pool: Pool;
  /** The escrow's outbox event ids in ledger (outbox insertion) order. */
  let ledgerEvents: { eventId: string; eventType: string }[] = [];
  let laterCreatedEventId = '';

  const subscriptionOf = (name: keyof typeof subscriptions): Subscription => {
    const subscription = subscriptions[name];
    if (subscription === undefined) throw new Error(`no ${name} subscription`);
    return subscription;
  };

  async function register(name: keyof typeof subscriptions, receiver: Receiver, extra: object) {
    const created = await as('marketa-backend', 'POST', '/v1/webhooks', { url: receiver.url, ...extra });
    expect(created.status, created.text).to.equal(201);
    expect(created.body['secret']).to.match(/^whsec_/);
    subscriptions[name] = { id: String(created.body['id']), secret: String(created.body['secret']) };
  }

  async function outboxEventsOf(id: string): Promise<{ eventId: string; eventType: string }[]> {
    const result = await pool.query<{ event_id: string; event_type: string }>(
      'SELECT event_id, event_type FROM outbox WHERE key = $1 ORDER BY id',
      [id],
    );
    return result.rows.map((row) => ({ eventId: row.event_id, eventType: row.event_type }));
  }

  async function deliveryStatuses(subscriptionId: string, id: string): Promise<string[]> {
    const result = await pool.query<{ status: string }>(
      `SELECT status FROM webhook_deliveries WHERE subscription_id = $1 AND escrow_id = $2
       ORDER BY block_number, tx_index, event_index`,
      [subscriptionId, id],
    );
    return result.rows.map((row) => row.status);
  }

  before(async () => {
    pool = projectionPool();
    await Promise.all([healthy.start(), flaky.start(), failing.start()]);
    await register('healthy', healthy, {});
    await register('flaky', flaky, { retryBaseMs: 100 });
    await register('failing', failing, { retryBaseMs: 100, maxAttempts: 2 });
  });

  after(async () => {
    for (const subscription of Object.values(subscriptions))
      if (subscription !== undefined)
        await as('marketa-backend', 'DELETE', `/v1/webhooks/${subscription.id}`).catch(() => undefined);
    await Promise.all([healthy.close(), flaky.close(), failing.close()]);
    await pool.end();
  });

  it('lists the registered endpoints without their secrets', async () => {
    const listed = await as('marketa-backend', 'GET', '/v1/webhooks');
    expect(listed.status, listed.text).to.equal(200);
    const items = listed.body['items'] as Record<string, unknown>[];
    const ours = items.filter((item) => Object.values(subscriptions).some((s) => s?.id === item['id']));
    expect(ours).to.have.length(3);
    for (const item of ours) expect(item).not.to.have.property('secret');
    expect(ours.find((item) => item['id'] === subscriptionOf('failing').id)).to.include({
      retryBaseMs: 100,
      maxAttempts: 2,
    });
  });

  it('drives create → accept → paid → ship → confirm → release through the gateway', async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    const accepted = await as('bea', 'POST', `/v1/escrows/${escrowId}/accept`, {});
    expect(accepted.status, accepted.text).to.equal(200);
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    const steps = [
      ['bea', 'ship', { carrier: 'DHL', trackingRef: 'HOOK0001' }],
      ['alice', 'confirm-delivery', undefined],
      ['alice', 'release', {}],
    ] as const;
    for (const [caller, step, body] of steps) {
      const response = await as(caller, 'POST', `/v1/escrows/${escrowId}/${step}`, body);
      expect(response.status, `${step}: ${response.text}`).to.equal(200);
    }
    ledgerEvents = await eventually('the mirror to write the escrow’s six events to the outbox', async () => {
      const events = await outboxEventsOf(escrowId);
      return events.length >= 6 ? events : undefined;
    });
  });

  it('delivers every event of the escrow to the healthy endpoint, in ledger order, each signed', async () => {
    const expected = ledgerEvents.map((event) => event.eventId);
    const received = await eventually('the healthy endpoint to receive every event', () => {
      const ours = healthy.of(escrowId);
      return ours.length >= expected.length ? ours : undefined;
    });
    expect(received.map((entry) => entry.eventId)).to.deep.equal(expected);
    expect(received.map((entry) => entry.type)).to.deep.equal(ledgerEvents.map((event) => event.eventType));
    const { secret } = subscriptionOf('healthy');
    for (const entry of received) {
      expect(entry.signature).to.match(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(secret, entry.signature, entry.body), entry.eventId).to.equal(true);
      expect(verifyWebhookSignature('whsec_someone-else', entry.signature, entry.body)).to.equal(false);
      const tampered = entry.body.replace(escrowId, `${escrowId}x`);
      expect(verifyWebhookSignature(secret, entry.signature, tampered)).to.equal(false);
      const signedAt = Number(/^t=(\d+)/.exec(entry.signature ?? '')?.[1]);
      expect(verifyWebhookSignature(secret, entry.signature, entry.body, 300, signedAt + 301)).to.equal(
        false,
      );
      expect(verifyWebhookSignature(secret, entry.signature, entry.body, 300, signedAt + 299)).to.equal(true);
    }
    // The endpoint sees each POST before the notifier records its answer, so the last delivery may
    // still read `pending` for a moment after the last event arrived.
    const { id } = subscriptionOf('healthy');
    await eventually('the healthy endpoint’s deliveries to be recorded as delivered', async () => {
      const statuses = await deliveryStatuses(id, escrowId);
      return statuses.length === expected.length && statuses.every((status) => status === 'delivered')
        ? statuses
        : undefined;
    });
  });

  it('retries the endpoint that answers 500 twice and delivers on the third attempt', async () => {
    const expected = ledgerEvents.map((event) => event.eventId);
    const received = await eventually('the flaky endpoint to receive every event after retries', () => {
      const ours = flaky.of(escrowId);
      return ours.length >= expected.length ? ours : undefined;
    });
    expect(received.map((entry) => entry.eventId)).to.deep.equal(expected);
    for (const entry of received) {
      expect(flaky.requestsFor(entry.eventId), entry.eventId).to.equal(3);
      expect(entry.attempt).to.equal('3');
      expect(verifyWebhookSignature(subscriptionOf('flaky').secret, entry.signature, entry.body)).to.equal(
        true,
      );
    }
  });

  it('dead-letters the always-failing endpoint after its attempt limit', async () => {
    const { id } = subscriptionOf('failing');
    const statuses = await eventually('the failing endpoint’s deliveries to be dead-lettered', async () => {
      const current = await deliveryStatuses(id, escrowId);
      return current.length === ledgerEvents.length && current.every((status) => status === 'dead')
        ? current
        : undefined;
    });
    expect(statuses).to.have.length(ledgerEvents.length);
    for (const event of ledgerEvents) expect(failing.requestsFor(event.eventId), event.eventId).to.equal(2);
    expect(failing.of(escrowId)).to.deep.equal([]);
  });

  it('keeps delivering to the healthy endpoint while the failing one is dead-lettered', async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(laterEscrowId));
    expect(created.status, created.text).to.equal(201);
    const [event] = await eventually('the outbox event of the later escrow', async () => {
      const events = await outboxEventsOf(laterEscrowId);
      return events.length >= 1 ? events : undefined;
    });
    const received = await eventually('the healthy endpoint to receive the later escrow', () =>
      healthy.of(laterEscrowId).find((entry) => entry.eventId === event?.eventId),
    );
    laterCreatedEventId = received.eventId;
    expect(
      verifyWebhookSignature(subscriptionOf('healthy').secret, received.signature, received.body),
    ).to.equal(true);
    await eventually('the failing endpoint’s later delivery to be dead-lettered', async () =>
      (await deliveryStatuses(subscriptionOf('failing').id, laterEscrowId)).includes('dead')
        ? true
        : undefined,
    );
  });

  it('signs with both secrets after a rotation, and with the new one only after the grace period', async () => {
    const before = subscriptionOf('healthy');
    const rotated = await as('marketa-backend', 'POST', `/v1/webhooks/${before.id}/rotate-secret`);
    expect(rotated.status, rotated.text).to.equal(200);
    const newSecret = String(rotated.body['secret']);
    expect(newSecret)
      .to.match(/^whsec_/)
      .and.not.equal(before.secret);
    const graceEnds = Date.parse(String(rotated.body['previousSecretExpiresAt']));
    expect(graceEnds - Date.now()).to.be.greaterThan(23 * 3600 * 1000);
    subscriptions.healthy = { id: before.id, secret: newSecret };

    const accepted = await as('bea', 'POST', `/v1/escrows/${laterEscrowId}/accept`, {});
    expect(accepted.status, accepted.text).to.equal(200);
    const paid = await payThroughProvider(laterEscrowId, 'marketa-backend', paymentSucceededDelivery);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    const duringGrace = await eventually('a delivery signed during the grace period', () =>
      healthy.of(laterEscrowId).find((entry) => entry.eventId !== laterCreatedEventId),
    );
    expect(duringGrace.signature).to.match(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(newSecret, duringGrace.signature, duringGrace.body)).to.equal(true);
    expect(verifyWebhookSignature(before.secret, duringGrace.signature, duringGrace.body)).to.equal(true);

    // The grace period ends (brought forward in the database rather than waited out).
    await pool.query(
      "UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1",
      [before.id],
    );
    const shipped = await as('bea', 'POST', `/v1/escrows/${laterEscrowId}/ship`, {
      carrier: 'DHL',
      trackingRef: 'HOOK0002',
    });
    expect(shipped.status, shipped.text).to.equal(200);
    const afterGrace = await eventually('a delivery signed after the grace period', () =>
      healthy
        .of(laterEscrowId)
        .find((entry) => entry.eventId !== laterCreatedEventId && entry.eventId !== duringGrace.eventId),
    );
    expect(afterGrace.signature).to.match(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(newSecret, afterGrace.signature, afterGrace.body)).to.equal(true);
    expect(verifyWebhookSignature(before.secret, afterGrace.signature, afterGrace.body)).to.equal(false);
  });

  it('re-delivers from an event with the replay command', async () => {
    const { id, secret } = subscriptionOf('healthy');
    const from = ledgerEvents[1];
    if (from === undefined) throw new Error('no second event');
    const countBefore = healthy.of(escrowId).length;
    const output = await runNode(path.join(repoRoot, 'scripts', 'dist', 'offchain', 'offchainCommand.js'), [
      'webhooks-replay',
      '--from-event',
      from.eventId,
      '--subscription',
      id,
    ]);
    const { reenqueued } = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { reenqueued?: number };
    expect(reenqueued).to.be.at.least(ledgerEvents.length - 1);
    const expected = ledgerEvents.slice(1).map((event) => event.eventId);
    const replayed = await eventually('the replayed events at the healthy endpoint', () => {
      const again = healthy.of(escrowId).slice(countBefore);
      return again.length >= expected.length ? again : undefined;
    });
    expect(replayed.map((entry) => entry.eventId)).to.deep.equal(expected);
    for (const entry of replayed)
      expect(verifyWebhookSignature(secret, entry.signature, entry.body), entry.eventId).to.equal(true);
    // Only the named subscription: the dead-lettered one stays dead.
    expect(await deliveryStatuses(subscriptionOf('failing').id, escrowId)).to.satisfy((statuses: string[]) =>
      statuses.every((status) => status === 'dead'),
    );
  });

  it('cancels the deliveries a deleted subscription had not made, instead of leaving them retrying', async () => {
    const down = new Receiver(() => 503);
    await down.start();
    try {
      // A long backoff keeps the first failed delivery `retrying` and the rest of the escrow's queue `pending`.
      const created = await as('marketa-backend', 'POST', '/v1/webhooks', {
        url: down.url,
        retryBaseMs: 600_000,
      });
      expect(created.status, created.text).to.equal(201);
      const id = String(created.body['id']);
      const first = ledgerEvents[0];
      if (first === undefined) throw new Error('no event');
      await runNode(path.join(repoRoot, 'scripts', 'dist', 'offchain', 'offchainCommand.js'), [
        'webhooks-replay',
        '--from-event',
        first.eventId,
        '--subscription',
        id,
      ]);
      await eventually('a retrying delivery for the endpoint that is down', async () => {
        const statuses = await deliveryStatuses(id, escrowId);
        return statuses.includes('retrying') ? statuses : undefined;
      });
      const deleted = await as('marketa-backend', 'DELETE', `/v1/webhooks/${id}`);
      expect(deleted.status, deleted.text).to.equal(204);
      const statuses = await deliveryStatuses(id, escrowId);
      expect(statuses).to.have.length(ledgerEvents.length);
      expect(statuses).to.satisfy((all: string[]) => all.every((status) => status === 'cancelled'));
      const due = await pool.query(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND next_attempt_at IS NOT NULL`,
        [id],
      );
      expect(due.rows[0]).to.deep.equal({ n: 0 });
    } finally {
      await down.close();
    }
  });

  it('refuses endpoints on loopback, private, link-local and metadata addresses with 422 WEBHOOK_ENDPOINT_FORBIDDEN', async () => {
    const forbidden = [
      'http://127.0.0.2:19000/management',
      'http://[::1]:19000/',
      'http://[::ffff:127.0.0.2]:19000/',
      'http://0.0.0.0:19000/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.7/hooks',
      'http://192.168.1.1/hooks',
      'http://[fd00::1]/hooks',
    ];
    for (const url of forbidden) {
      const refused = await as('marketa-backend', 'POST', '/v1/webhooks', { url });
      expect(refused.status, `${url}: ${refused.text}`).to.equal(422);
      expect(refused.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(refused.body['code'], url).to.equal('WEBHOOK_ENDPOINT_FORBIDDEN');
    }
    const listed = await as('marketa-backend', 'GET', '/v1/webhooks');
    const urls = (listed.body['items'] as { url: string }[]).map((item) => item.url);
    for (const url of forbidden) expect(urls).not.to.include(new URL(url).toString());
  });

  it('refuses a subscription over the marketplace limit with 422 WEBHOOK_LIMIT_REACHED', async () => {
    const created: string[] = [];
    try {
      let refused: Awaited<ReturnType<typeof as>> | undefined;
      // Bounded: the default limit is 20; a marketplace never needs more attempts than that to reach it.
      for (let attempt = 0; attempt < 25 && refused === undefined; attempt += 1) {
        const response = await as('marketb-backend', 'POST', '/v1/webhooks', { url: healthy.url });
        if (response.status === 201) created.push(String(response.body['id']));
        else refused = response;
      }
      if (refused === undefined) throw new Error('25 subscriptions registered without reaching the limit');
      expect(refused.status, refused.text).to.equal(422);
      expect(refused.body['code']).to.equal('WEBHOOK_LIMIT_REACHED');
      const listed = await as('marketb-backend', 'GET', '/v1/webhooks');
      expect(listed.body['items']).to.have.length(Number(refused.body['limit']));
    } finally {
      for (const id of created) await as('marketb-backend', 'DELETE', `/v1/webhooks/${id}`);
    }
  });
});
