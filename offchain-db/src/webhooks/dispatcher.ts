// The dispatcher: sends due deliveries, each on its own, so a slow or failing endpoint holds only its
// own deliveries (and later events of the same escrow for that partner), never anyone else's. Each
// endpoint (subscription) has at most `perEndpoint` requests in flight: a partner that hangs fills
// its own slots, not the dispatcher's, so the others' deliveries keep going out.
import type { Log } from '../mirror/mirror';
import { StoppableLoop } from '../ops/stoppableLoop';
import type { DeliveryStore, DueDelivery } from './deliveryStore';
import { afterFailure } from './retryPolicy';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhook } from './signature';

export interface WebhookResponse {
  readonly status: number;
}

/** The HTTP port: POSTs `body` with `headers`, rejecting on a network error or after `timeoutMs`. */
export interface WebhookSender {
  post(
    url: string,
    body: string,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<WebhookResponse>;
}

export interface DispatchObserver {
  delivered(seconds: number): void;
  failed(dead: boolean): void;
  loopFailed(error: unknown): void;
}

export interface DispatcherOptions {
  readonly maxInFlight: number;
  /** Requests in flight to one subscription's endpoint at most. */
  readonly perEndpoint: number;
  readonly pollMs: number;
  readonly requestTimeoutMs: number;
  readonly clock: () => Date;
  readonly random: () => number;
}

export const defaultDispatcherOptions: DispatcherOptions = {
  maxInFlight: 64,
  perEndpoint: 4,
  pollMs: 250,
  requestTimeoutMs: 10_000,
  clock: () => new Date(),
  random: Math.random,
};

export class Dispatcher {
  private readonly loop = new StoppableLoop();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightPerEndpoint = new Map<bigint, number>();

  constructor(
    private readonly store: DeliveryStore,
    private readonly sender: WebhookSender,
    private readonly observer: DispatchObserver,
    private readonly log: Log,
    private readonly options: DispatcherOptions = defaultDispatcherOptions,
  ) {}

  async run(): Promise<void> {
    while (this.loop.running) {
      let claimed = 0;
      try {
        claimed = await this.dispatchOnce();
      } catch (error) {
        this.observer.loopFailed(error);
        this.log.error({ err: String(error) }, 'dispatcher failed; retrying');
      }
      if (claimed === 0) await this.loop.pause(this.options.pollMs);
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims what capacity allows and starts sending it; returns how many it claimed. */
  async dispatchOnce(): Promise<number> {
    const capacity = this.options.maxInFlight - this.inFlight.size;
    if (capacity <= 0) return 0;
    // The lease outlasts the request, so no other dispatcher sends it meanwhile.
    const due = await this.store.claimDue(capacity, this.options.requestTimeoutMs + 30_000, {
      perEndpoint: this.options.perEndpoint,
      inFlight: this.inFlightPerEndpoint,
    });
    for (const delivery of due) {
      const endpoint = delivery.subscriptionId;
      this.inFlightPerEndpoint.set(endpoint, (this.inFlightPerEndpoint.get(endpoint) ?? 0) + 1);
      const sending: Promise<void> = this.deliver(delivery).finally(() => {
        this.inFlight.delete(sending);
        const left = (this.inFlightPerEndpoint.get(endpoint) ?? 1) - 1;
        if (left > 0) this.inFlightPerEndpoint.set(endpoint, left);
        else this.inFlightPerEndpoint.delete(endpoint);
        this.loop.wake();
      });
      this.inFlight.add(sending);
    }
    return due.length;
  }

  /** Sends one delivery and records its outcome; never rejects. */
  async deliver(delivery: DueDelivery): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    const now = this.options.clock();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'p2p-escrow-notifier/1',
      [SIGNATURE_HEADER]: signWebhook(delivery.secrets, body, Math.floor(now.getTime() / 1000)),
      [EVENT_ID_HEADER]: delivery.eventId,
      [EVENT_TYPE_HEADER]: delivery.eventType,
      'X-Escrow-Delivery-Attempt': String(delivery.attempts + 1),
    };
    let status: number | undefined;
    let error: string;
    try {
      const response = await this.sender.post(delivery.url, body, headers, this.options.requestTimeoutMs);
      status = response.status;
      if (status >= 200 && status < 300) {
        await this.store.recordSuccess(delivery, status);
        this.observer.delivered((this.options.clock().getTime() - now.getTime()) / 1000);
        return;
      }
      error = `endpoint answered ${status}`;
    } catch (caught) {
      error = String(caught);
    }
    const decision = afterFailure(
      delivery.retry,
      delivery.attempts + 1,
      delivery.enqueuedAt,
      this.options.clock(),
      this.options.random(),
    );
    this.observer.failed(decision.kind === 'dead');
    await this.store.recordFailure(delivery, status, error, decision).catch((recordError: unknown) => {
      // The lease expires and the delivery is tried again: at-least-once.
      this.log.error({ err: String(recordError), deliveryId: String(delivery.id) }, 'could not record');
    });
  }

  stop(): void {
    this.loop.stop();
  }
}
