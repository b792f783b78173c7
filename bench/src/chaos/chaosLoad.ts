// The chaos run's load: an open-loop stream of escrow lifecycles through the stack's own gateways, each
// request with an Idempotency-Key the load chose, retried with the same key after a transient answer
// (5xx, 429, no answer, a key still in progress) and with a fresh key after a refusal of the step's
// turn (a 409 while the previous step has not reached that peer yet). Every attempt's outcome is
// counted; every step answered 2xx is kept, with its transaction id, for the checker. Every fourth
// escrow is left unreleased: the keeper must release it once its short inspection window has passed.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  call,
  createRequest,
  deliverProviderEvent,
  providerWebhookSecret,
  tokenOf,
  type Caller,
} from '@p2p-escrow/testkit';

/** The lifecycle's steps, each with the event its transaction emits and the state it leads to. */
export const LIFECYCLE = [
  { step: 'create', event: 'EscrowCreated', state: 'PROPOSED' },
  { step: 'accept', event: 'EscrowAccepted', state: 'CREATED' },
  { step: 'fund', event: 'PaymentConfirmed', state: 'FUNDED' },
  { step: 'ship', event: 'Shipped', state: 'SHIPPED' },
  { step: 'confirm-delivery', event: 'DeliveryConfirmed', state: 'DELIVERED' },
  { step: 'release', event: 'Released', state: 'RELEASED' },
] as const;
export type StepName = (typeof LIFECYCLE)[number]['step'];

const ORDER: readonly string[] = LIFECYCLE.map((entry) => entry.state);

/** True once `state` is the step's state or a later one of the lifecycle. */
export function reached(state: string, step: StepName): boolean {
  const target = ORDER.indexOf(LIFECYCLE.find((entry) => entry.step === step)?.state ?? '');
  const now = ORDER.indexOf(state);
  return now >= 0 && target >= 0 && now >= target;
}

/** What one attempt got: `2xx`, `202 pending`, `4xx CODE`, `5xx`, `no answer`. */
export function outcomeOf(status: number | undefined, code?: unknown): string {
  if (status === undefined) return 'no answer';
  if (status === 202) return '202 pending';
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 500) return '5xx';
  return `${String(status)} ${typeof code === 'string' ? code : ''}`.trim();
}

/** What the gateway's transaction status said of a 202's transaction, last time the load asked. */
export type Confirmation = 'COMMITTED' | 'INVALID' | 'UNKNOWN';

export interface AnsweredStep {
  readonly step: StepName;
  readonly status: number;
  readonly transactionId: string | undefined;
  /** The Idempotency-Key of the attempt answered 2xx. */
  readonly key: string;
  /**
   * For a 202 ("submitted, commit not known"): what `GET /v1/transactions/{id}` said in the end. Only a
   * 202 confirmed COMMITTED acknowledges the step; for any other the load tried the step again.
   */
  readonly confirmed?: Confirmation;
}

/** Whether an answer tells the caller its step is on the ledger: a 200/201, or a 202 confirmed committed. */
export function acknowledges(step: AnsweredStep): boolean {
  return step.status !== 202 || step.confirmed === 'COMMITTED';
}

export interface LoadedEscrow {
  readonly escrowId: string;
  /** The load leaves release to the keeper. */
  readonly keeperReleases: boolean;
  readonly answered: AnsweredStep[];
  /** The step it gave up at (its deadline passed), if any. */
  gaveUpAt?: StepName;
}

export interface LoadOptions {
  readonly runTag: string;
  /** Lifecycles started per second. */
  readonly rate: number;
  readonly durationMs: number;
  /** How long one step may keep retrying. */
  readonly stepDeadlineMs: number;
  readonly inspectionSeconds: number;
  readonly log: (line: string) => void;
}

const RETRY_SAME_KEY = new Set([429, 500, 502, 503, 504]);
/** How long a 202's transaction is followed before the step is tried again under a fresh key. */
const CONFIRMATION_MS = 45_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosLoad {
  readonly escrows: LoadedEscrow[] = [];
  readonly outcomes = new Map<string, number>();
  #stopped = false;
  /** When the load stops starting lifecycles, in ms from its start (the run may extend it). */
  #endMs: number;
  /** While held open (faults still to inject or heal), the load keeps starting lifecycles. */
  #held = false;
  /** When the last lifecycle started, in ms from the load's start. */
  #lastStartMs = 0;

  constructor(private readonly options: LoadOptions) {
    this.#endMs = options.durationMs;
  }

  /** Keeps starting lifecycles until `ms` after the load's start at least (a fault still under way). */
  keepRunningUntil(ms: number): void {
    this.#endMs = Math.max(this.#endMs, ms);
  }

  /** Keeps the load starting lifecycles, whatever its window, until `release`. */
  holdOpen(): void {
    this.#held = true;
  }

  /** Lets the load end once its window (extended by `keepRunningUntil`) has passed. */
  release(): void {
    this.#held = false;
  }

  /** How long the load started lifecycles, in ms: when the last one started. */
  get windowMs(): number {
    return this.#lastStartMs;
  }

  private count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** Runs the open loop for its window, then waits for the lifecycles under way. */
  async run(): Promise<void> {
    const interval = 1000 / this.options.rate;
    const began = performance.now();
    const running: Promise<void>[] = [];
    for (let index = 0; !this.#stopped; index++) {
      const scheduled = began + index * interval;
      const wait = scheduled - performance.now();
      if (wait > 1) await sleep(wait);
      // Decided when the lifecycle is due, not before the wait: a fault that started meanwhile holds
      // the load open (a check made before waiting ended the load while faults were still to come).
      if (!this.#held && scheduled - began > this.#endMs) break;
      this.#lastStartMs = scheduled - began;
      const escrow: LoadedEscrow = {
        escrowId: `chaos-${this.options.runTag}-${String(index)}`,
        keeperReleases: index % 4 === 3,
        answered: [],
      };
      this.escrows.push(escrow);
      running.push(this.lifecycle(escrow));
    }
    await Promise.all(running);
  }

  stop(): void {
    this.#stopped = true;
  }

  private async lifecycle(escrow: LoadedEscrow): Promise<void> {
    const id = escrow.escrowId;
    const route = `/v1/escrows/${id}`;
    const steps: [StepName, Caller, string, unknown][] = [
      [
        'create',
        'marketa-backend',
        '/v1/escrows',
        createRequest(id, { inspectionPeriodSeconds: this.options.inspectionSeconds }),
      ],
      ['accept', 'bea', `${route}/accept`, {}],
      ['fund', 'marketa-backend', `${route}/payment`, {}],
      ['ship', 'bea', `${route}/ship`, { carrier: 'DHL', trackingRef: `trk-${id}` }],
      ['confirm-delivery', 'alice', `${route}/confirm-delivery`, undefined],
      ['release', 'alice', `${route}/release`, {}],
    ];
    for (const [step, caller, url, body] of steps) {
      if (step === 'release' && escrow.keeperReleases) return;
      const done = await this.step(escrow, step, caller, url, body);
      if (!done) {
        escrow.gaveUpAt = step;
        return;
      }
    }
  }

  /** One step, retried until it is answered 2xx, the escrow is already past it, or its deadline. */
  private async step(
    escrow: LoadedEscrow,
    step: StepName,
    caller: Caller,
    url: string,
    body: unknown,
  ): Promise<boolean> {
    const deadline = performance.now() + this.options.stepDeadlineMs;
    let keyRound = 0;
    for (let attempt = 0; performance.now() < deadline; attempt++) {
      const key = `${escrow.escrowId}:${step}:${String(keyRound)}`;
      let status: number | undefined;
      let answer: Record<string, unknown> = {};
      try {
        const token = await tokenOf(caller);
        const response = await call('POST', url, body, { token, idempotencyKey: key });
        status = response.status;
        answer = response.body;
      } catch {
        status = undefined;
      }
      this.count(outcomeOf(status, answer['code']));
      if (status !== undefined && status >= 200 && status < 300) {
        if (step === 'fund') {
          // The payment is open; the provider's event funds the escrow (the payments service's 200).
          if (!(await this.paid(escrow, answer, deadline))) return false;
          return true;
        }
        const transactionId = transactionIdOf(answer);
        if (status !== 202) {
          escrow.answered.push({ step, status, transactionId, key });
          return true;
        }
        // Submitted, its commit not known: acknowledged only once the gateway reports it committed.
        const confirmed = await this.confirmation(caller, transactionId, deadline);
        escrow.answered.push({ step, status, transactionId, key, confirmed });
        this.options.log(
          `${escrow.escrowId} ${step}: 202 ${transactionId ?? '-'} under key ${key}: ${confirmed}`,
        );
        if (confirmed === 'COMMITTED') return true;
        // Invalid, or never known: the step again under a fresh key (a late commit of this one makes
        // the chaincode refuse the next, which the refusal path below recognises).
        keyRound += 1;
        continue;
      }
      const inProgress = answer['code'] === 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
      if (status !== undefined && !RETRY_SAME_KEY.has(status) && !inProgress) {
        // A refusal: the escrow may already be past this step (an earlier attempt committed after its
        // answer was lost, or the keeper moved it); else the previous step has not reached this
        // gateway's peer yet, and the step is tried again under a fresh key.
        if (step !== 'create' && (await this.stateOf(escrow.escrowId, caller)).some((s) => reached(s, step)))
          return true;
        if (step === 'create' && answer['code'] === 'ESCROW_EXISTS') return true;
        if (status !== 409 && status !== 404) {
          this.options.log(
            `${escrow.escrowId} ${step}: ${String(status)} ${JSON.stringify(answer).slice(0, 200)}`,
          );
          return false;
        }
        keyRound += 1;
      }
      await sleep(Math.min(3000, 250 * (attempt + 1)));
    }
    return false;
  }

  /**
   * What became of a transaction answered 202, from `GET /v1/transactions/{id}` as its submitter:
   * asked until COMMITTED or INVALID, for at most CONFIRMATION_MS (or the step's deadline).
   */
  private async confirmation(
    caller: Caller,
    transactionId: string | undefined,
    deadline: number,
  ): Promise<Confirmation> {
    if (transactionId === undefined) return 'UNKNOWN';
    const until = Math.min(deadline, performance.now() + CONFIRMATION_MS);
    for (let attempt = 0; performance.now() < until; attempt++) {
      try {
        const read = await call('GET', `/v1/transactions/${transactionId}`, undefined, {
          token: await tokenOf(caller),
        });
        const status = read.body['status'];
        if (read.status === 200 && (status === 'COMMITTED' || status === 'INVALID')) return status;
      } catch {
        // The gateway is being restarted: ask again.
      }
      await sleep(Math.min(3000, 500 * (attempt + 1)));
    }
    return 'UNKNOWN';
  }

  private async stateOf(escrowId: string, caller: Caller): Promise<string[]> {
    try {
      const read = await call('GET', `/v1/escrows/${escrowId}`, undefined, { token: await tokenOf(caller) });
      return read.status === 200 && typeof read.body['state'] === 'string' ? [read.body['state']] : [];
    } catch {
      return [];
    }
  }

  /** The provider's payment_intent.succeeded for the payment just opened, to MarketA's payments service. */
  private async paid(
    escrow: LoadedEscrow,
    payment: Record<string, unknown>,
    deadline: number,
  ): Promise<boolean> {
    const event = paymentSucceededDelivery(
      {
        paymentId: String(payment['paymentId']),
        escrowId: escrow.escrowId,
        amountMinor: BigInt(String(payment['amount'])),
        currency: String(payment['currency']),
      },
      providerWebhookSecret(),
    );
    for (let attempt = 0; performance.now() < deadline; attempt++) {
      let status: number | undefined;
      let text = '';
      try {
        const answer = await deliverProviderEvent('MarketA', event);
        status = answer.status;
        text = answer.text;
      } catch {
        status = undefined;
      }
      this.count(`provider event ${outcomeOf(status)}`);
      if (status === 200) {
        escrow.answered.push({
          step: 'fund',
          status,
          transactionId: undefined,
          key: String(payment['paymentId']),
        });
        return true;
      }
      if (status !== undefined && status < 500) {
        this.options.log(`${escrow.escrowId} provider event: ${String(status)} ${text.slice(0, 200)}`);
        return false;
      }
      await sleep(Math.min(3000, 250 * (attempt + 1)));
    }
    return false;
  }
}

function transactionIdOf(answer: Record<string, unknown>): string | undefined {
  const id = answer['transactionId'];
  return typeof id === 'string' ? id : undefined;
}
