// A ledger record whose texts carry U+0000, from its block to a partner's endpoint on the real
// services: blockEffects → PgProjectionStore (PostgreSQL, a scratch schema) → outbox → relay →
// Kafka (a scratch topic) → the notifier's reading of the message → delivery store → dispatcher →
// a partner endpoint on 127.0.0.1, which gets JSON it can parse, signed with its secret.
import { LocalFileKeyProvider } from '@p2p-escrow/fabric-client';
import { kafkaClientSettings } from '@p2p-escrow/scripts';
import { eventually, projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { logLevel, type KafkaMessage } from 'kafkajs';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { EventSigner } from '../kafka/eventOrigin';
import { kafkaClient } from '../kafka/kafkaClient';
import { KafkaPublisher } from '../outbox/kafkaPublisher';
import { PgOutboxStore } from '../outbox/pgOutboxStore';
import { OutboxRelay } from '../outbox/relay';
import { scratchSchema } from '../testing/scratchSchema';
import { createScratchTopic, deleteScratchTopic } from '../testing/scratchTopic';
import { escrowRecord, escrowTx } from '../testing/blockBuilder';
import { projectFirstBlock } from '../testing/scratchProjection';
import { defaultDispatcherOptions, Dispatcher } from './dispatcher';
import { parseCidr } from './endpointPolicy';
import { escrowEventOf } from './escrowEventMessage';
import { GuardedHttpSender } from './guardedSender';
import { PgDeliveryStore } from './pgDeliveryStore';
import { PgWebhookStore } from './pgWebhookStore';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './signature';

const SCHEMA = 'unstorable_delivery_check';
const LOCAL = { allowed: [parseCidr('127.0.0.1/32')] };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('an escrow whose texts carry U+0000, from its block to a partner webhook', function () {
  this.timeout(120_000);
  const topic = `unstorable-check-${crypto.randomBytes(4).toString('hex')}`;
  const scratch = scratchSchema(SCHEMA);
  // The administrator stands in for the relay on a scratch topic.
  const admin = kafkaClientSettings('admin');
  const kafka = kafkaClient(admin, topic, logLevel.NOTHING);

  before(() => createScratchTopic(kafka, topic, 1));
  after(() => deleteScratchTopic(kafka, topic));

  it('is published on Kafka and delivered as signed JSON the partner parses', async () => {
    const record = escrowRecord('esc-nul-hook', {
      state: 'SHIPPED',
      items: [{ description: 'Camera\u0000', price: '12345' }],
      shipment: { carrier: 'DH\u0000L', trackingRef: 'T1', shippedAt: '2030-01-02T00:00:00.000Z' },
    });
    const shipped = escrowTx('tx-nul-hook', 'Shipped', record, { carrier: 'DH\u0000L' });
    await projectFirstBlock(SCHEMA, [shipped], topic);

    const signer = new EventSigner(crypto.generateKeyPairSync('ed25519').privateKey);
    const publisher = await KafkaPublisher.connect({ ...admin, topic, clientId: topic }, signer);
    try {
      const relay = new OutboxRelay(
        new PgOutboxStore(scratch.pool),
        publisher,
        { published: () => undefined, failed: () => undefined },
        quiet,
      );
      expect(await relay.relayOnce()).to.equal(1);
    } finally {
      await publisher.close();
    }

    const consumer = kafka.consumer({ groupId: topic });
    const messages: KafkaMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          messages.push(message);
          return Promise.resolve();
        },
      });
      await eventually('the message on Kafka', () => messages[0]);
    } finally {
      await consumer.disconnect();
    }
    const [message] = messages;
    if (message === undefined) throw new Error('no message');
    const event = escrowEventOf(message);

    const bodies: { body: string; signature: string | undefined }[] = [];
    const partner = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const signature = request.headers[SIGNATURE_HEADER.toLowerCase()];
        bodies.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: typeof signature === 'string' ? signature : undefined,
        });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    const keys = new LocalFileKeyProvider(path.join(scratch.keyDir, 'kek'));
    const deliveries = new PgDeliveryStore(projectionPool(SCHEMA), keys);
    try {
      const { secret } = await new PgWebhookStore(scratch.pool, keys, {
        policy: LOCAL,
        maxSubscriptionsPerMarketplace: 20,
      }).create({
        marketplace: 'MarketA',
        url: `http://127.0.0.1:${(partner.address() as AddressInfo).port}/hooks`,
        eventTypes: [],
        retryBaseMs: undefined,
        maxAttempts: undefined,
      });
      expect(await deliveries.enqueue(event)).to.equal(1);
      const dispatcher = new Dispatcher(
        deliveries,
        new GuardedHttpSender(LOCAL),
        { delivered: () => undefined, failed: () => undefined, loopFailed: () => undefined },
        quiet,
        defaultDispatcherOptions,
      );
      expect(await dispatcher.dispatchOnce()).to.equal(1);
      const received = await eventually('the webhook', () => bodies[0]);

      expect(verifyWebhookSignature(secret, received.signature, received.body)).to.equal(true);
      const body = JSON.parse(received.body) as {
        escrowId: string;
        type: string;
        data: { details: unknown };
      };
      expect(body).to.include({ escrowId: 'esc-nul-hook', type: 'Shipped' });
      expect(body.data.details).to.deep.equal({ carrier: 'DH\uFFFDL' });
    } finally {
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
      await deliveries.close();
    }
  });
});
