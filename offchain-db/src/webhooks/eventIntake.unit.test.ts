import { expect } from 'chai';
import * as crypto from 'node:crypto';
import {
  EVENT_SIGNATURE_INVALID,
  EVENT_UNSIGNED,
  EventSigner,
  EventVerifier,
  type SignedMessage,
} from '../kafka/eventOrigin';
import type { EscrowEvent } from './deliveryStore';
import {
  EVENT_MALFORMED,
  EventIntake,
  readEscrowEvent,
  type DeadLetter,
  type DeadLetterReason,
} from './eventIntake';

const relay = crypto.generateKeyPairSync('ed25519');
const signer = new EventSigner(relay.privateKey);
const verifier = new EventVerifier([relay.publicKey]);
const source = { topic: 'escrow-events', partition: 2, offset: '41' };

function signed(escrowId: string, value: string): SignedMessage {
  const key = Buffer.from(escrowId);
  const bytes = Buffer.from(value);
  return { key, value: bytes, headers: { 'event-id': 'x', ...signer.headersFor(key, bytes) } };
}

const created = (escrowId: string) =>
  JSON.stringify({ eventId: 'tx1:0', type: 'Created', escrowId, blockNumber: '12', txIndex: 1 });

/** An intake whose store and dead-letter topic are in memory; `failEnqueue` makes the store fail. */
function intakeWith(failEnqueue = false) {
  const enqueued: EscrowEvent[] = [];
  const letters: DeadLetter[] = [];
  const counted: DeadLetterReason[] = [];
  const intake = new EventIntake(
    {
      enqueue: (event) => {
        if (failEnqueue) return Promise.reject(new Error('database unavailable'));
        enqueued.push(event);
        return Promise.resolve(1);
      },
    },
    {
      send: (letter) => {
        letters.push(letter);
        return Promise.resolve();
      },
    },
    verifier,
    { enqueued: () => undefined, deadLettered: (code) => counted.push(code) },
  );
  return { intake, enqueued, letters, counted };
}

describe('the notifier’s intake of escrow-topic messages', () => {
  it('reads an event the relay signed', () => {
    const reading = readEscrowEvent(signed('esc-1', created('esc-1')), verifier);
    expect(reading.kind).to.equal('event');
    if (reading.kind === 'event')
      expect(reading.event).to.include({ eventId: 'tx1:0', eventType: 'Created', escrowId: 'esc-1' });
  });

  it('refuses well-formed JSON that nobody signed, before reading it', () => {
    const key = Buffer.from('esc-1');
    expect(readEscrowEvent({ key, value: Buffer.from(created('esc-1')) }, verifier)).to.include({
      kind: 'refused',
      code: EVENT_UNSIGNED,
    });
  });

  for (const [what, value] of [
    ['is not JSON', '{"eventId":'],
    ['is not an object', '42'],
    ['has no event id', JSON.stringify({ type: 'Created', escrowId: 'e', blockNumber: '1' })],
    [
      'has a block number that is not an integer',
      JSON.stringify({ eventId: 'a:0', type: 'T', blockNumber: 'x' }),
    ],
    ['has a fractional block number', JSON.stringify({ eventId: 'a:0', type: 'T', blockNumber: 1.5 })],
  ] as const) {
    it(`calls a signed message that ${what} EVENT_MALFORMED`, () => {
      expect(readEscrowEvent(signed('esc-1', value), verifier)).to.include({
        kind: 'refused',
        code: EVENT_MALFORMED,
      });
    });
  }

  it('sets a forged message aside with its reason and place, counts it, and enqueues the next one', async () => {
    const { intake, enqueued, letters, counted } = intakeWith();
    const forged = { key: Buffer.from('esc-1'), value: Buffer.from(created('esc-1')), headers: {} };
    await intake.handle(forged, source);
    await intake.handle(signed('esc-1', 'garbage'), { ...source, offset: '42' });
    await intake.handle(signed('esc-1', created('esc-1')), { ...source, offset: '43' });
    expect(letters.map((letter) => [letter.code, letter.source.offset])).to.deep.equal([
      [EVENT_UNSIGNED, '41'],
      [EVENT_MALFORMED, '42'],
    ]);
    expect(letters[0]?.message).to.equal(forged);
    expect(counted).to.deep.equal([EVENT_UNSIGNED, EVENT_MALFORMED]);
    expect(enqueued.map((event) => event.escrowId)).to.deep.equal(['esc-1']);
  });

  it('dead-letters a tampered message as EVENT_SIGNATURE_INVALID', async () => {
    const { intake, letters } = intakeWith();
    const message = signed('esc-1', created('esc-1'));
    await intake.handle({ ...message, value: Buffer.from(created('esc-2')) }, source);
    expect(letters.map((letter) => letter.code)).to.deep.equal([EVENT_SIGNATURE_INVALID]);
  });

  it('rejects (so the message is read again) when the store fails, instead of dead-lettering it', async () => {
    const { intake, letters } = intakeWith(true);
    let failure: unknown;
    await intake.handle(signed('esc-1', created('esc-1')), source).catch((error: unknown) => {
      failure = error;
    });
    expect(String(failure)).to.contain('database unavailable');
    expect(letters).to.deep.equal([]);
  });
});
