// The notifier on the live stack delivers only what the relay signed, and a message it cannot read or
// verify never holds up its partition: forged (unsigned, or signed with another key) and malformed
// messages written under an escrow's key go to the dead-letter topic with their reason, are counted,
// and the escrow's next real event behind them on the same partition still reaches the partner.
import { LocalFileKeyProvider } from '@p2p-escrow/fabric-client';
import {
  escrowDeadLetterTopic,
  escrowEventsTopic,
  eventSigningKeyFile,
  webhookKeyEncryptionKeyFile,
  kafkaClientSettings,
  kafkaConnectionOf,
  notifierOpsUrl,
  readerGroupPrefix,
} from '@p2p-escrow/scripts';
import {
  CROSS_MARKET,
  eventually,
  GatewayPool,
  ensureDaemons,
  projectionPool,
  Trade,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { Kafka, logLevel, Partitioners, type KafkaMessage } from 'kafkajs';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import {
  EVENT_SIGNATURE_INVALID,
  EVENT_UNSIGNED,
  EventSigner,
  ORIGIN_SIGNATURE_HEADER,
} from '../kafka/eventOrigin';
import { DEAD_LETTER_REASON_HEADER, DEAD_LETTER_SOURCE_HEADER } from '../kafka/kafkaDeadLetters';
import { parseCidr } from './endpointPolicy';
import { EVENT_MALFORMED } from './eventIntake';
import { PgWebhookStore } from './pgWebhookStore';
import { EVENT_ID_HEADER } from './signature';

const REASONS = [EVENT_UNSIGNED, EVENT_SIGNATURE_INVALID, EVENT_MALFORMED];

/** This suite's bound: a delivery through Kafka and the notifier may take a while under load. */
const DELIVERY_BOUND = { timeoutMs: 60_000, intervalMs: 200 };

/** The notifier's dead-letter counter per reason, from its /metrics. */
async function deadLettered(): Promise<Record<string, number>> {
  const text = await (await fetch(`${notifierOpsUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^notifier_events_dead_lettered_total\{reason="(\w+)"\} (\d+)/gm))
    counts[match[1] ?? ''] = Number(match[2]);
  return counts;
}

/** A partner endpoint on 127.0.0.1 that records the event id of every webhook. */
function partnerEndpoint() {
  const eventIds: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      eventIds.push(String(request.headers[EVENT_ID_HEADER.toLowerCase()] ?? ''));
      response.writeHead(200).end();
    });
  });
  return {
    eventIds,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Every message of the dead-letter topic under `key`, once `count` of them are there. */
async function deadLettersOf(key: string, count: number): Promise<KafkaMessage[]> {
  const kafka = new Kafka({
    ...kafkaConnectionOf(kafkaClientSettings('reader'), 'dead-letter-test'),
    logLevel: logLevel.NOTHING,
  });
  const groupId = `${readerGroupPrefix}dead-letter-${crypto.randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId });
  const found: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [escrowDeadLetterTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        if (message.key?.toString() === key) found.push(message);
        return Promise.resolve();
      },
    });
    return await eventually(
      `${count} dead letters of ${key}`,
      () => (found.length >= count ? found : undefined),
      DELIVERY_BOUND,
    );
  } finally {
    await consumer.disconnect();
  }
}

describe('the notifier verifies where escrow events come from', function () {
  this.timeout(180_000);
  const pool = new GatewayPool();
  const partner = partnerEndpoint();
  let db: Pool;
  let subscriptions: PgWebhookStore;
  let subscriptionId = '';

  before(async () => {
    await ensureDaemons(['mirror', 'outbox-relay', 'notifier']);
    db = projectionPool();
    await partner.start();
    subscriptions = new PgWebhookStore(db, new LocalFileKeyProvider(webhookKeyEncryptionKeyFile), {
      policy: { allowed: [parseCidr('127.0.0.1/32')] },
      maxSubscriptionsPerMarketplace: 1000,
    });
    const created = await subscriptions.create({
      marketplace: 'MarketA',
      url: partner.url(),
      eventTypes: [],
      retryBaseMs: undefined,
      maxAttempts: undefined,
    });
    subscriptionId = created.subscription.id;
  });

  after(async () => {
    await subscriptions.remove('MarketA', subscriptionId).catch(() => undefined);
    await partner.close();
    pool.closeAll();
    await db.end();
  });

  it('dead-letters forged and malformed messages and still delivers the real event behind them', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'origin');
    const created = await trade.create();
    await eventually(
      'the relay’s signed Created event at the partner',
      () => (partner.eventIds.includes(`${created.transactionId}:0`) ? true : undefined),
      DELIVERY_BOUND,
    );
    const before = await deadLettered();

    // As the administrator (who may write any topic), under the escrow's key: the escrow's partition.
    const key = Buffer.from(trade.escrowId);
    const forgedId = `forged-${crypto.randomBytes(4).toString('hex')}:0`;
    const forged = Buffer.from(
      JSON.stringify({ eventId: forgedId, type: 'Released', escrowId: trade.escrowId, blockNumber: '1' }),
    );
    const relay = EventSigner.fromFile(eventSigningKeyFile);
    const malformed = Buffer.from('{"eventId":');
    // The relay's key id, with a signature over other bytes.
    const misSigned = relay.headersFor(key, Buffer.from('{}'));
    const kafka = new Kafka({
      ...kafkaConnectionOf(kafkaClientSettings('admin'), 'forger'),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic: escrowEventsTopic,
        acks: -1,
        messages: [
          { key, value: forged, headers: { [EVENT_ID_HEADER]: forgedId } },
          { key, value: forged, headers: misSigned },
          { key, value: malformed, headers: relay.headersFor(key, malformed) },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const funded = await trade.fund();
    await eventually(
      'the escrow’s next real event at the partner',
      () => (partner.eventIds.includes(`${funded.transactionId}:0`) ? true : undefined),
      DELIVERY_BOUND,
    );
    expect(partner.eventIds).not.to.include(forgedId);

    const letters = await deadLettersOf(trade.escrowId, REASONS.length);
    expect(letters.map((letter) => letter.headers?.[DEAD_LETTER_REASON_HEADER]?.toString())).to.deep.equal(
      REASONS,
    );
    for (const letter of letters)
      expect(letter.headers?.[DEAD_LETTER_SOURCE_HEADER]?.toString()).to.match(/^escrow-events\/\d+\/\d+$/);
    expect(letters[1]?.headers?.[ORIGIN_SIGNATURE_HEADER]?.toString()).to.equal(
      misSigned[ORIGIN_SIGNATURE_HEADER],
    );
    expect(letters[2]?.value?.toString()).to.equal(malformed.toString());

    const after = await deadLettered();
    for (const reason of REASONS) expect(after[reason] ?? 0, reason).to.be.greaterThan(before[reason] ?? 0);
  });
});
