// GET /v1/transactions/{txId}: the final status of a transaction whose commit outlasted the deadline.
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { RouteContext } from '../routeContext';
import { readerFor } from '../escrows/escrowAccess';

export function getTransactionRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const caller = await readerFor(context.identities, principalOf(response));
    response.json(await context.ledger.transactionStatus(caller, String(request.params['txId'])));
  };
}
