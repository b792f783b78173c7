// The notifier's reading of one message of the escrow topic. A message whose origin is not the relay,
// or that is not an escrow event, is set aside on the dead-letter topic (with the reason in its
// headers) and counted, and the consumer moves past it: one bad record never holds up its partition.
// Anything else that fails (PostgreSQL down, the dead-letter topic unwritable) rejects, so the
// message is read again.
import { type EventVerifier, type OriginRefusal, type SignedMessage } from '../kafka/eventOrigin';
import type { DeliveryStore, EscrowEvent } from './deliveryStore';
import { escrowEventOf } from './escrowEventMessage';

/** A message that carries no escrow event the notifier can read. */
export const EVENT_MALFORMED = 'EVENT_MALFORMED';
export type DeadLetterReason = OriginRefusal | typeof EVENT_MALFORMED;

export type EventReading =
  | { readonly kind: 'event'; readonly event: EscrowEvent }
  | { readonly kind: 'refused'; readonly code: DeadLetterReason; readonly detail: string };

/** Where a message was read from. */
export interface MessageSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface DeadLetter {
  readonly message: SignedMessage;
  readonly source: MessageSource;
  readonly code: DeadLetterReason;
  readonly detail: string;
}

/** The dead-letter port; its Kafka adapter is kafka/kafkaDeadLetters.ts. Resolves once stored. */
export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}

export interface IntakeObserver {
  enqueued(deliveries: number): void;
  deadLettered(code: DeadLetterReason): void;
}

/** Verifies the message's origin, then reads it as an escrow event. */
export function readEscrowEvent(message: SignedMessage, verifier: EventVerifier): EventReading {
  const origin = verifier.verify(message);
  if (!origin.ok) return { kind: 'refused', code: origin.code, detail: origin.detail };
  try {
    return { kind: 'event', event: escrowEventOf(message) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'refused', code: EVENT_MALFORMED, detail };
  }
}

export class EventIntake {
  constructor(
    private readonly store: Pick<DeliveryStore, 'enqueue'>,
    private readonly deadLetters: DeadLetterSink,
    private readonly verifier: EventVerifier,
    private readonly observer: IntakeObserver,
  ) {}

  /** Enqueues the message's deliveries, or dead-letters it; resolves once either is durable. */
  async handle(message: SignedMessage, source: MessageSource): Promise<void> {
    const reading = readEscrowEvent(message, this.verifier);
    if (reading.kind === 'event') {
      this.observer.enqueued(await this.store.enqueue(reading.event));
      return;
    }
    await this.deadLetters.send({ message, source, code: reading.code, detail: reading.detail });
    this.observer.deadLettered(reading.code);
  }
}
