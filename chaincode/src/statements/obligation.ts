// An obligation between marketplaces: when an escrow whose buyer and seller trade on different
// marketplaces ends RELEASED or RESOLVED with a seller part, the buyer's marketplace (which collected
// the money) owes the seller's marketplace that part. It is recorded by the escrow's own terminal
// transaction, in the trade's terms collection (its marketplaces and Oversight), never in public state.
import type { Escrow } from '../escrow/escrow';
import {
  type JsonObject,
  requireId,
  requireMarketplace,
  requireMinorUnits,
  requireOneOf,
  requireText,
} from '../validation/fields';
import { type Obligation } from './netting';
import { requirePeriodId, type SettlementPeriod } from './settlementPeriod';
import { storedInstant, storedRecord } from './storedRecord';

/** open: awaiting a statement; netted: in `statementId`; paidDirectly: the buyer's marketplace paid the seller. */
export const OBLIGATION_STATUSES = ['open', 'netted', 'paidDirectly'] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

export interface ObligationRecord {
  readonly docType: 'obligation';
  readonly escrowId: string;
  /** The buyer's marketplace. */
  readonly payer: string;
  /** The seller's marketplace, which pays its seller once the statement is settled. */
  readonly payee: string;
  /** The escrow's seller payout, in minor units. */
  readonly amount: string;
  readonly currency: string;
  readonly period: string;
  readonly periodEndsAt: string;
  readonly recordedAt: string;
  readonly status: ObligationStatus;
  readonly statementId: string | null;
}

/** Whether the escrow's terminal state owes something across marketplaces. */
export function owesAcrossMarketplaces(escrow: Escrow): boolean {
  return (
    (escrow.state === 'RELEASED' || escrow.state === 'RESOLVED') &&
    escrow.buyer.marketplace !== escrow.seller.marketplace &&
    BigInt(escrow.sellerPayout) > 0n
  );
}

/** The obligation a terminal escrow creates in `period` (callers check owesAcrossMarketplaces first). */
export function obligationOf(escrow: Escrow, period: SettlementPeriod, recordedAt: string): ObligationRecord {
  return {
    docType: 'obligation',
    escrowId: escrow.escrowId,
    payer: escrow.buyer.marketplace,
    payee: escrow.seller.marketplace,
    amount: escrow.sellerPayout,
    currency: escrow.currency,
    period: period.period,
    periodEndsAt: period.endsAt,
    recordedAt,
    status: 'open',
    statementId: null,
  };
}

/** The obligation as the pure netting takes it. */
export function nettingInputOf(record: ObligationRecord): Obligation {
  return {
    escrowId: record.escrowId,
    payer: record.payer,
    payee: record.payee,
    amountMinor: BigInt(record.amount),
    currency: record.currency,
    period: record.period,
  };
}

function readObligation(record: JsonObject): ObligationRecord {
  const statementId = record.statementId;
  return {
    docType: 'obligation',
    escrowId: requireId(record.escrowId, 'escrowId'),
    payer: requireMarketplace(record.payer, 'payer'),
    payee: requireMarketplace(record.payee, 'payee'),
    amount: requireMinorUnits(record.amount, 'amount').toString(),
    currency: requireText(record.currency, 'currency', 3),
    period: requirePeriodId(String(record.period), 'period'),
    periodEndsAt: storedInstant(record.periodEndsAt, 'periodEndsAt'),
    recordedAt: storedInstant(record.recordedAt, 'recordedAt'),
    status: requireOneOf(record.status, 'status', OBLIGATION_STATUSES),
    statementId: statementId === null ? null : requireText(statementId, 'statementId'),
  };
}

/** Reads a stored obligation (or readObligation's answer); anything malformed is CORRUPT_STATE. */
export function obligationFromBytes(bytes: Uint8Array | string): ObligationRecord {
  return storedRecord(bytes, 'obligation', readObligation);
}
