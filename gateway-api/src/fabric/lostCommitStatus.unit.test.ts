import { StatusCode } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import { LedgerError } from './ledgerErrors';
import { recoverLostCommitStatus, type LedgerRecord } from './lostCommitStatus';
import { withRetry } from './retry';

const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const unavailable = () => new LedgerError(503, 'LEDGER_UNAVAILABLE', 'peer went away', true, 'tx-1');

/**
 * A submit as the ledger client runs it, over a fake ledger: each attempt is a new transaction; the
 * first one's commit status is lost (the peer went away), later ones are refused by the chaincode as
 * a repeat, as a real resubmission of a transition that had committed would be.
 */
async function submitWithLostStatus(
  record: LedgerRecord,
): Promise<{ outcome: unknown; transactions: number }> {
  let transactions = 0;
  const outcome = await withRetry(async () => {
    transactions += 1;
    const transactionId = `tx-${String(transactions)}`;
    if (transactions > 1) throw new LedgerError(409, 'INVALID_STATE', 'escrow already released', false);
    try {
      throw unavailable();
    } catch {
      const recovered = await recoverLostCommitStatus(transactionId, () => Promise.resolve(record));
      return recovered.kind === 'pending'
        ? { status: 'PENDING', transactionId }
        : { status: 'COMMITTED', ...recovered };
    }
  }, policy);
  return { outcome, transactions };
}

describe('a submit whose commit status was lost', () => {
  it('answers with the first transaction when it committed, and submits no second one', async () => {
    const { outcome, transactions } = await submitWithLostStatus({ kind: 'committed', blockNumber: '42' });
    expect(outcome).to.deep.equal({ status: 'COMMITTED', kind: 'committed', blockNumber: '42' });
    expect(transactions).to.equal(1);
  });

  it('answers PENDING with the transaction id when no peer can tell, never resubmitting', async () => {
    const { outcome, transactions } = await submitWithLostStatus({ kind: 'unknown' });
    expect(outcome).to.deep.equal({ status: 'PENDING', transactionId: 'tx-1' });
    expect(transactions).to.equal(1);
  });

  it('resubmits only when the first transaction is known invalid by a read conflict (it changed nothing)', async () => {
    let caught: unknown;
    try {
      await submitWithLostStatus({ kind: 'invalid', validationCode: StatusCode.MVCC_READ_CONFLICT });
    } catch (error) {
      caught = error;
    }
    // The conflict was retried as a new transaction, which the fake chaincode then refused.
    expect((caught as LedgerError).code).to.equal('INVALID_STATE');
  });

  it('reports any other invalid first transaction as TRANSACTION_INVALID without resubmitting', async () => {
    let caught: unknown;
    try {
      await recoverLostCommitStatus('tx-1', () =>
        Promise.resolve({ kind: 'invalid', validationCode: StatusCode.BAD_PROPOSAL_TXID }),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(LedgerError);
    expect([(caught as LedgerError).code, (caught as LedgerError).retryable]).to.deep.equal([
      'TRANSACTION_INVALID',
      false,
    ]);
  });
});
