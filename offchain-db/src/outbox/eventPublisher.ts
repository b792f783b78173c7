// The port the relay publishes through; the Kafka adapter is outbox/kafkaPublisher.ts. Business
// logic never sees the client library.

export interface OutgoingEvent {
  /** Deterministic id (`<txId>:<eventIndex>`), sent as a header so consumers can deduplicate. */
  readonly eventId: string;
  readonly eventType: string;
  readonly topic: string;
  /** The escrow id: one key per escrow keeps its events in order on one partition. */
  readonly key: string;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export interface EventPublisher {
  /** Resolves only once the broker acknowledged every event (acks from all in-sync replicas). */
  publish(events: readonly OutgoingEvent[]): Promise<void>;
  close(): Promise<void>;
}
