// A submit whose commit status was lost (the peer went away after the orderer may have taken the
// transaction) must not be resubmitted blindly: if the first transaction committed, a second one would
// be refused by the chaincode (INVALID_STATE, ESCROW_EXISTS) and the caller told 409 for something that
// succeeded. So the ledger is asked first, by transaction id, and the answer decides:
// committed → answer with it; invalid → the commit error (an MVCC conflict stays retryable, since that
// transaction changed nothing); nobody can tell → PENDING (202 with the id), never a second transaction.
import { CommitError, type Status } from '@hyperledger/fabric-gateway';
import { mapLedgerError } from './ledgerErrors';

/** What the peers know of one transaction. */
export type LedgerRecord =
  | { readonly kind: 'committed'; readonly blockNumber: string }
  | { readonly kind: 'invalid'; readonly validationCode: Status['code'] }
  | { readonly kind: 'unknown' };

export type Recovered =
  | { readonly kind: 'committed'; readonly blockNumber: string }
  | { readonly kind: 'pending' };

/** The outcome of the first transaction, from `lookUp`; throws the mapped commit error when it was invalid. */
export async function recoverLostCommitStatus(
  transactionId: string,
  lookUp: () => Promise<LedgerRecord>,
): Promise<Recovered> {
  const record = await lookUp();
  switch (record.kind) {
    case 'committed':
      return record;
    case 'unknown':
      return { kind: 'pending' };
    case 'invalid':
      throw mapLedgerError(
        new CommitError({
          code: record.validationCode,
          transactionId,
          message: `transaction ${transactionId} invalid`,
        }),
      );
  }
}
