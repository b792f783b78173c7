// GET /v1/transactions/{txId}: the final status of a transaction whose commit outlasted the deadline,
// for its submitter, its marketplace and auditors only; anyone else learns nothing, not even whether
// the transaction exists (404 TRANSACTION_NOT_FOUND).
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import { NotFoundError } from '../../errors/apiError';
import type { RouteContext } from '../routeContext';
import { readerFor } from '../escrows/escrowAccess';
import { mayReadTransaction } from './transactionAccess';

export function getTransactionRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const transactionId = String(request.params['txId']);
    const caller = await readerFor(context.identities, principal);
    if (!mayReadTransaction(principal, await context.transactions.submitterOf(transactionId)))
      throw new NotFoundError(
        'TRANSACTION_NOT_FOUND',
        `no transaction ${transactionId} submitted by this caller or its marketplace`,
      );
    response.json(await context.ledger.transactionStatus(caller, transactionId));
  };
}
