// Funding follows a verified payment: a provider event is verified (signature, timestamp), checked
// against the ledger's escrow exactly (escrow id, buyer's marketplace, amount, currency, state) and only
// then `fund` is submitted with the provider's payment id. The same event, or the same payment in
// another event, funds once: the processed-events record answers repeats, and the ledger's own record
// (funded with this payment id) settles concurrent ones.
import { amountDue, type Escrow } from '@p2p-escrow/chaincode';
import type { PaymentProvider, ProviderEvent } from '../port/paymentProvider';
import { LedgerRefusal, type FundingLedger, type ProcessedEvents } from './fundingPorts';
import type { FundingRefusal, FundingRefusalCode } from './fundingRefusals';
import { KeyedQueue } from './keyedQueue';

type PaymentEvent = Extract<ProviderEvent, { kind: 'payment.succeeded' | 'payment.failed' }>;

export type WebhookOutcome =
  | {
      readonly status: 'funded';
      readonly escrowId: string;
      readonly paymentId: string;
      readonly transactionId: string;
      readonly eventCreatedAt: Date;
    }
  | {
      readonly status: 'duplicate';
      readonly escrowId: string;
      readonly paymentId: string;
      readonly eventId: string;
    }
  /** An event the escrow does not act on (a failed payment, another type): acknowledged, nothing done. */
  | { readonly status: 'ignored'; readonly eventId: string; readonly eventType: string }
  | {
      readonly status: 'refused';
      readonly refusal: FundingRefusal;
      readonly eventId?: string;
      readonly escrowId?: string;
    };

export interface PaymentWebhookDependencies {
  /** The marketplace this service collects for (the org name on the ledger, e.g. MarketA). */
  readonly marketplace: string;
  readonly provider: Pick<PaymentProvider, 'verifyEvent'>;
  readonly ledger: FundingLedger;
  readonly processed: ProcessedEvents;
  readonly now: () => Date;
}

export class PaymentWebhook {
  // One event per escrow at a time: a burst of repeats waits instead of racing the ledger.
  readonly #perEscrow = new KeyedQueue();

  constructor(private readonly deps: PaymentWebhookDependencies) {}

  async receive(rawBody: Uint8Array, signatureHeader: string | undefined): Promise<WebhookOutcome> {
    const verification = this.deps.provider.verifyEvent(rawBody, signatureHeader);
    if (!verification.accepted) return { status: 'refused', refusal: verification.refusal };
    const event = verification.event;
    if (event.kind !== 'payment.succeeded')
      return {
        status: 'ignored',
        eventId: event.eventId,
        eventType: event.kind === 'other' ? event.providerType : event.kind,
      };
    const escrowId = event.escrowId;
    if (escrowId === undefined)
      return refused(event, 'FUNDING_ESCROW_UNKNOWN', `payment ${event.paymentId} names no escrow`);
    return this.#perEscrow.run(escrowId, () => this.fundOnce(event, escrowId));
  }

  private async fundOnce(event: PaymentEvent, escrowId: string): Promise<WebhookOutcome> {
    const seen = await this.deps.processed.find(event.eventId);
    if (seen !== undefined)
      return { status: 'duplicate', escrowId, paymentId: seen.paymentId, eventId: event.eventId };
    const escrow = await this.deps.ledger.readEscrow(escrowId);
    if (escrow === undefined)
      return refused(event, 'FUNDING_ESCROW_UNKNOWN', `escrow ${escrowId} is not on the ledger`);
    const mismatch = this.mismatchOf(event, escrow);
    if (mismatch !== undefined) return refused(event, mismatch.code, mismatch.detail);
    if (escrow.funding?.providerRef === event.paymentId) return this.duplicate(event, escrowId, undefined);
    let transactionId: string;
    try {
      ({ transactionId } = await this.deps.ledger.fund(escrow, event.paymentId));
    } catch (error) {
      // A commit lost to a concurrent funding by the same payment is that funding, not a failure.
      const now = await this.deps.ledger.readEscrow(escrowId);
      if (now?.funding?.providerRef === event.paymentId) return this.duplicate(event, escrowId, undefined);
      if (error instanceof LedgerRefusal) return refused(event, 'FUNDING_LEDGER_REFUSED', error.message);
      throw error;
    }
    await this.record(event, escrowId, transactionId);
    return {
      status: 'funded',
      escrowId,
      paymentId: event.paymentId,
      transactionId,
      eventCreatedAt: event.createdAt,
    };
  }

  /** The event against the escrow, field by field; the first difference refuses it. */
  private mismatchOf(event: PaymentEvent, escrow: Escrow): FundingRefusal | undefined {
    const id = escrow.escrowId;
    if (escrow.buyer.marketplace !== this.deps.marketplace)
      return {
        code: 'FUNDING_MARKETPLACE_MISMATCH',
        detail: `escrow ${id}'s buyer trades on ${escrow.buyer.marketplace}, not ${this.deps.marketplace}`,
      };
    if (event.currency !== escrow.currency)
      return {
        code: 'FUNDING_CURRENCY_MISMATCH',
        detail: `escrow ${id} is in ${escrow.currency}, the payment in ${event.currency}`,
      };
    // The buyer pays the goods and its agreed share of the fee in one payment.
    const due = amountDue(escrow);
    if (event.amountMinor !== BigInt(due))
      return {
        code: 'FUNDING_AMOUNT_MISMATCH',
        detail: `escrow ${id} is for ${due}, the payment for ${event.amountMinor.toString()}`,
      };
    if (escrow.funding !== null) {
      if (escrow.funding.providerRef === event.paymentId) return undefined;
      return {
        code: 'FUNDING_ALREADY_FUNDED',
        detail: `escrow ${id} was funded by ${escrow.funding.providerRef}, not ${event.paymentId}`,
      };
    }
    if (escrow.state !== 'CREATED' || escrow.acceptance === null)
      return {
        code: 'FUNDING_ESCROW_NOT_FUNDABLE',
        detail: `escrow ${id} is ${escrow.state}${escrow.acceptance === null ? ', not accepted' : ''}`,
      };
    return undefined;
  }

  private async duplicate(
    event: PaymentEvent,
    escrowId: string,
    transactionId: string | undefined,
  ): Promise<WebhookOutcome> {
    await this.record(event, escrowId, transactionId);
    return { status: 'duplicate', escrowId, paymentId: event.paymentId, eventId: event.eventId };
  }

  private record(event: PaymentEvent, escrowId: string, transactionId: string | undefined) {
    return this.deps.processed.record({
      eventId: event.eventId,
      escrowId,
      paymentId: event.paymentId,
      transactionId,
      processedAt: this.deps.now().toISOString(),
    });
  }
}

function refused(event: PaymentEvent, code: FundingRefusalCode, detail: string): WebhookOutcome {
  return {
    status: 'refused',
    refusal: { code, detail },
    eventId: event.eventId,
    ...(event.escrowId === undefined ? {} : { escrowId: event.escrowId }),
  };
}
