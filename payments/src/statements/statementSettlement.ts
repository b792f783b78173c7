// Settling a statement between two marketplaces with the provider. The paying marketplace makes ONE
// transfer of the net to the receiving marketplace's account and records it on the ledger
// (settleStatement); then each marketplace pays its own sellers of the escrows the statement covers
// and records each payout (recordSettlement). Every provider call carries an idempotency key per
// statement (the transfer) or per escrow (a payout), and every step first reads what the ledger
// already holds, so running it again after a crash at any point moves no money twice.
import { isHeld, type Escrow, type StatementRecord } from '@p2p-escrow/chaincode';
import type { MoneyMoved, PaymentProvider } from '../port/paymentProvider';
import type { StatementLedger } from './statementLedger';

export class StatementSettlementError extends Error {
  constructor(
    readonly code: 'STATEMENT_NOT_PAYABLE' | 'STATEMENT_NOT_SETTLED',
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'StatementSettlementError';
  }
}

export interface StatementTransfer {
  readonly ledger: StatementLedger;
  readonly provider: PaymentProvider;
  readonly statementId: string;
  /** The connected account at the provider of a marketplace (the statement's payee). */
  readonly marketplaceAccountOf: (marketplace: string) => string;
}

export interface TransferOutcome {
  readonly statement: StatementRecord;
  /** The transfer made (or found again by its idempotency key) now; undefined if already recorded. */
  readonly transfer: MoneyMoved | undefined;
}

/** The payer's side: one transfer of the net, then `settleStatement` with its id. */
export async function payStatement(request: StatementTransfer): Promise<TransferOutcome> {
  const { ledger, provider, statementId } = request;
  const statement = await ledger.readStatement(statementId);
  if (statement.status === 'settled') return { statement, transfer: undefined };
  if (statement.payer !== ledger.marketplace || statement.payee === null)
    throw new StatementSettlementError(
      'STATEMENT_NOT_PAYABLE',
      `${ledger.marketplace} does not pay statement ${statementId} (payer ${String(statement.payer)})`,
    );
  const transfer = await provider.payOut({
    escrowId: statementId,
    destinationAccount: request.marketplaceAccountOf(statement.payee),
    amountMinor: BigInt(statement.net),
    currency: statement.currency,
    kind: 'statement-transfer',
  });
  return { statement: await ledger.settleStatement(statementId, transfer.providerId), transfer };
}

export interface SellerPayouts {
  readonly ledger: StatementLedger;
  readonly provider: PaymentProvider;
  readonly statementId: string;
  /** The connected account at the provider of one of this marketplace's sellers. */
  readonly sellerAccountOf: (seller: Escrow['seller']) => string;
}

export interface SellerPayout {
  readonly escrowId: string;
  readonly payout: MoneyMoved;
}

/**
 * One marketplace's side once the statement is settled: pays each of its sellers of the covered
 * escrows their payout and records it; escrows already recorded are skipped, and so are held ones
 * (an active risk hold): they are paid by a later call once the hold is cleared.
 */
export async function paySellersOfStatement(request: SellerPayouts): Promise<SellerPayout[]> {
  const { ledger, provider, statementId } = request;
  const statement = await ledger.readStatement(statementId);
  if (statement.status !== 'settled')
    throw new StatementSettlementError(
      'STATEMENT_NOT_SETTLED',
      `statement ${statementId} is ${statement.status}`,
    );
  const paid: SellerPayout[] = [];
  for (const escrowId of statement.escrowIds) {
    const escrow = await ledger.readEscrow(escrowId);
    if (escrow.seller.marketplace !== ledger.marketplace || escrow.settlements.seller !== null) continue;
    if (isHeld(escrow)) continue;
    const payout = await provider.payOut({
      escrowId,
      destinationAccount: request.sellerAccountOf(escrow.seller),
      amountMinor: BigInt(escrow.sellerPayout),
      currency: escrow.currency,
      kind: 'payout',
    });
    await ledger.recordSellerPayout(escrow, payout.providerId);
    paid.push({ escrowId, payout });
  }
  return paid;
}
