// One slow partner cannot starve the others: the real dispatcher, delivery store (PostgreSQL, a
// scratch schema) and sender, with two partner endpoints on 127.0.0.1, one that never answers and one
// that answers at once. The fast one gets every delivery while the slow one holds only its own slots.
import { LocalFileKeyProvider } from '@p2p-escrow/fabric-client';
import { projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { scratchSchema } from '../testing/scratchSchema';
import { escrowRecord, escrowTx } from '../testing/blockBuilder';
import { projectFirstBlock } from '../testing/scratchProjection';
import { defaultDispatcherOptions, Dispatcher } from './dispatcher';
import { parseCidr } from './endpointPolicy';
import { GuardedHttpSender } from './guardedSender';
import { PgDeliveryStore } from './pgDeliveryStore';
import { PgWebhookStore } from './pgWebhookStore';

const SCHEMA = 'endpoint_concurrency_check';
const LOCAL = { allowed: [parseCidr('127.0.0.1/32')] };
const ESCROWS = 6;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A partner endpoint; `hang` keeps every request open until close(). */
class Endpoint {
  readonly received: string[] = [];
  private readonly server: http.Server;

  constructor(hang: boolean) {
    this.server = http.createServer((request, response) => {
      this.received.push(String(request.headers['x-escrow-event-id']));
      request.resume();
      if (!hang) request.on('end', () => response.writeHead(200).end());
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function delivered(pool: Pool, subscriptionId: string): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'delivered'`,
    [subscriptionId],
  );
  return result.rows[0]?.n ?? 0;
}

describe('webhook dispatcher with a slow and a fast endpoint', function () {
  this.timeout(60_000);
  const scratch = scratchSchema(SCHEMA);

  it("completes the fast endpoint's deliveries while the slow one hangs", async () => {
    await projectFirstBlock(
      SCHEMA,
      Array.from({ length: ESCROWS }, (_, i) =>
        escrowTx(`tx-${i}`, 'EscrowCreated', escrowRecord(`esc-${i}`)),
      ),
    );
    const keys = new LocalFileKeyProvider(path.join(scratch.keyDir, 'kek'));
    const subscriptions = new PgWebhookStore(scratch.pool, keys, {
      policy: LOCAL,
      maxSubscriptionsPerMarketplace: 20,
    });
    const slow = await new Endpoint(true).start();
    const fast = await new Endpoint(false).start();
    const store = new PgDeliveryStore(projectionPool(SCHEMA), keys);
    const dispatcher = new Dispatcher(
      store,
      new GuardedHttpSender(LOCAL),
      { delivered: () => undefined, failed: () => undefined, loopFailed: () => undefined },
      quiet,
      { ...defaultDispatcherOptions, maxInFlight: 4, perEndpoint: 2, pollMs: 20, requestTimeoutMs: 60_000 },
    );
    let running: Promise<void> | undefined;
    try {
      const slowId = (
        await subscriptions.create({
          marketplace: 'MarketA',
          url: slow.url,
          eventTypes: [],
          retryBaseMs: undefined,
          maxAttempts: undefined,
        })
      ).subscription.id;
      const fastId = (
        await subscriptions.create({
          marketplace: 'MarketA',
          url: fast.url,
          eventTypes: [],
          retryBaseMs: undefined,
          maxAttempts: undefined,
        })
      ).subscription.id;
      for (let i = 0; i < ESCROWS; i += 1)
        await store.enqueue({
          eventId: `tx-${i}:0`,
          eventType: 'EscrowCreated',
          escrowId: `esc-${i}`,
          blockNumber: 1n,
          txIndex: i,
          eventIndex: 0,
          payload: { eventId: `tx-${i}:0`, escrowId: `esc-${i}` },
        });
      running = dispatcher.run();

      const deadline = Date.now() + 20_000;
      while ((await delivered(scratch.pool, fastId)) < ESCROWS) {
        if (Date.now() > deadline)
          throw new Error(`fast endpoint got ${fast.received.length} of ${ESCROWS} while the slow one hung`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      expect(await delivered(scratch.pool, fastId)).to.equal(ESCROWS);
      expect(slow.received).to.have.length(2);
      expect(await delivered(scratch.pool, slowId)).to.equal(0);
    } finally {
      dispatcher.stop();
      await slow.close();
      await fast.close();
      await running;
      await store.close();
    }
  });
});
