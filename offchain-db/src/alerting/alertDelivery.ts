// Posts each alert to the configured alert webhook, signed like the partners' webhooks
// (`X-Escrow-Signature`, the notifier's signer) with the alerting secret, retried a bounded number of
// times with backoff. Alerts already delivered (by id) are not sent again. Deliveries run in the
// background, a bounded number waiting, so a slow receiver never holds up the event stream.
import { signWebhook, SIGNATURE_HEADER } from '../webhooks/signature';
import type { SecurityAlert } from './alertRules';

export const ALERT_ID_HEADER = 'X-Escrow-Alert-Id';

/** Where alerts go now: read at each delivery, so the operator can change it without a restart. */
export type AlertTarget = () => Promise<string | undefined>;

export interface AlertDeliveryOptions {
  readonly attempts: number;
  readonly firstBackoffMs: number;
  readonly requestTimeoutMs: number;
  /** Alerts waiting or in flight before new ones are dropped (and counted). */
  readonly capacity: number;
  /** Delivered alert ids remembered for deduplication. */
  readonly rememberedIds: number;
}

export const defaultAlertDeliveryOptions: AlertDeliveryOptions = {
  attempts: 5,
  firstBackoffMs: 500,
  requestTimeoutMs: 5_000,
  capacity: 1_000,
  rememberedIds: 10_000,
};

export type AlertOutcome = 'delivered' | 'failed' | 'no_target' | 'duplicate' | 'overflow';

export interface AlertDeliveryObserver {
  outcome(rule: string, outcome: AlertOutcome): void;
}

/** Sends one signed POST; resolves with the HTTP status. Replaceable for unit tests of the retries. */
export type AlertPoster = (
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<number>;

export const fetchAlertPoster: AlertPoster = async (url, body, headers, timeoutMs) => {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers,
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer().catch(() => undefined);
  return response.status;
};

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

export class AlertDelivery {
  private readonly delivered = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly target: AlertTarget,
    private readonly secret: () => string,
    private readonly observer: AlertDeliveryObserver,
    private readonly post: AlertPoster = fetchAlertPoster,
    private readonly options: AlertDeliveryOptions = defaultAlertDeliveryOptions,
  ) {}

  /** Queues `alert` for delivery and returns at once. */
  send(alert: SecurityAlert): void {
    if (this.delivered.has(alert.id) || this.inFlight.has(alert.id)) {
      this.observer.outcome(alert.rule, 'duplicate');
      return;
    }
    if (this.inFlight.size >= this.options.capacity) {
      this.observer.outcome(alert.rule, 'overflow');
      return;
    }
    const delivery = this.deliver(alert).then(
      (outcome) => {
        if (outcome === 'delivered') this.remember(alert.id);
        this.observer.outcome(alert.rule, outcome);
      },
      () => {
        this.observer.outcome(alert.rule, 'failed');
      },
    );
    this.inFlight.set(
      alert.id,
      delivery.finally(() => this.inFlight.delete(alert.id)),
    );
  }

  /** Resolves once every delivery started so far has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private remember(id: string): void {
    this.delivered.add(id);
    if (this.delivered.size > this.options.rememberedIds) {
      const oldest = this.delivered.values().next();
      if (oldest.done !== true) this.delivered.delete(oldest.value);
    }
  }

  private async deliver(alert: SecurityAlert): Promise<AlertOutcome> {
    const body = JSON.stringify(alert);
    for (let attempt = 0; attempt < this.options.attempts; attempt += 1) {
      if (attempt > 0) await sleep(this.options.firstBackoffMs * 2 ** (attempt - 1));
      const url = await this.target();
      if (url === undefined) return 'no_target';
      const headers = {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook([this.secret()], body, Math.floor(Date.now() / 1000)),
        [ALERT_ID_HEADER]: alert.id,
      };
      const status = await this.post(url, body, headers, this.options.requestTimeoutMs).catch(() => 0);
      if (status >= 200 && status < 300) return 'delivered';
      // A 4xx other than 408/429 will not get better by repeating the same alert.
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'failed';
    }
    return 'failed';
  }
}
