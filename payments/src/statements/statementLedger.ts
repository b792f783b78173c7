// What statement settlement needs from the ledger, as one marketplace's payments identity sees it.
// The Fabric adapter is fabricStatementLedger.ts; the logic in statementSettlement.ts knows only this.
import type { Escrow, StatementRecord } from '@p2p-escrow/chaincode';

export interface StatementLedger {
  /** The marketplace this ledger acts for (its payments identity signs every submit). */
  readonly marketplace: string;
  readStatement(statementId: string): Promise<StatementRecord>;
  /** Records the one provider transfer that paid the statement's net (the payer's payments identity). */
  settleStatement(statementId: string, transferRef: string): Promise<StatementRecord>;
  readEscrow(escrowId: string): Promise<Escrow>;
  /** Records the seller's payout of a netted escrow (the seller's marketplace's payments identity). */
  recordSellerPayout(escrow: Escrow, providerRef: string): Promise<Escrow>;
}
