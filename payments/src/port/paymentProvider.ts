// The payment provider port: everything the escrow needs from a provider that collects, holds, refunds
// and pays out money. The Stripe adapter implements it; a second provider implements the same (see
// payments/README.md). Amounts are integers in minor units (bigint, as the ledger's), currencies ISO
// 4217 codes in upper case.
import type { VerificationEvent } from '../verification/identityVerificationProvider';
import type { WebhookRefusal } from './paymentErrors';

/** A buyer's payment for an escrow, collected by the buyer's marketplace. */
export interface PaymentRequest {
  readonly escrowId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** The marketplace collecting the payment (its org name on the ledger, e.g. MarketA). */
  readonly marketplace: string;
  /** The buyer's id in that marketplace. */
  readonly buyer: string;
}

export interface CreatedPayment {
  /** The provider's payment id, the reference `fund` records on the ledger. */
  readonly paymentId: string;
  /** Handed to the buyer's client to confirm the payment with the provider. */
  readonly clientSecret: string;
  /** The idempotency key the provider acknowledged for the call. */
  readonly idempotencyKey: string;
}

export interface RefundRequest {
  readonly escrowId: string;
  readonly paymentId: string;
  /** Who gets the money back (the buyer); part of the idempotency key. */
  readonly payee: string;
  /** Omitted: the whole payment. */
  readonly amountMinor?: bigint;
  /** The ended item whose own refund this is (an escrow settled item by item); part of the key. */
  readonly item?: number;
}

export interface PayoutRequest {
  readonly escrowId: string;
  /** The seller's (or receiving marketplace's) connected account at the provider. */
  readonly destinationAccount: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** `payout` to a seller; `statement-transfer` between marketplaces (escrowId is the statement id). */
  readonly kind?: 'payout' | 'statement-transfer';
  /** The ended item whose own payout this is (an escrow settled item by item); part of the key. */
  readonly item?: number;
}

/** A completed refund or transfer: the provider's object id is what `recordSettlement` records. */
export interface MoneyMoved {
  readonly providerId: string;
  readonly escrowId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly idempotencyKey: string;
}

/** A provider event the escrow acts on, or one it does not (kept for the log, changes nothing). */
export type ProviderEvent =
  | {
      readonly kind: 'payment.succeeded' | 'payment.failed';
      readonly eventId: string;
      readonly createdAt: Date;
      readonly paymentId: string;
      /** From the payment's metadata; undefined when the payment was not made for an escrow. */
      readonly escrowId: string | undefined;
      readonly amountMinor: bigint;
      readonly currency: string;
    }
  /** The outcome of an identity-verification session (verification/identityVerificationProvider.ts). */
  | VerificationEvent
  | {
      readonly kind: 'other';
      readonly eventId: string;
      readonly createdAt: Date;
      /** The provider's own event type, e.g. `charge.updated`. */
      readonly providerType: string;
    };

export type EventVerification =
  | { readonly accepted: true; readonly event: ProviderEvent }
  | { readonly accepted: false; readonly refusal: WebhookRefusal };

/** Half-open [from, to): what the provider moved in it. */
export interface Period {
  readonly from: Date;
  readonly to: Date;
}

/** One line of the provider's side of a reconciliation. */
export interface ProviderActivity {
  readonly kind: 'payment' | 'refund' | 'transfer';
  readonly providerId: string;
  readonly escrowId: string | undefined;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly status: string;
  readonly createdAt: Date;
}

export interface PaymentProvider {
  /** Opens a payment for an escrow; idempotent per (escrow, buyer). */
  createPayment(request: PaymentRequest): Promise<CreatedPayment>;
  /**
   * Checks a delivered event against the endpoint secret (signature and timestamp) and reads it.
   * Never throws for a bad delivery: a refusal is an answer the caller logs as a security event.
   */
  verifyEvent(rawBody: string | Uint8Array, signatureHeader: string | undefined): EventVerification;
  /** Refunds all or part of a payment; idempotent per (escrow, payee), or (escrow, payee, item). */
  refund(request: RefundRequest): Promise<MoneyMoved>;
  /** Transfers to a connected account; idempotent per (escrow, destination, kind), or with the item. */
  payOut(request: PayoutRequest): Promise<MoneyMoved>;
  /** Every payment, refund and transfer created in `period`, for reconciliation with the ledger. */
  listActivity(period: Period): Promise<ProviderActivity[]>;
  /**
   * Whether a funding's reference names a payment of this provider (Stripe: a PaymentIntent id). An
   * escrow funded with any other reference was collected elsewhere, and is settled elsewhere too.
   */
  isPaymentReference(reference: string): boolean;
  /** Whether `account` names an account this provider pays out to (Stripe: a connected account id). */
  isPayeeAccount(account: string): boolean;
}
