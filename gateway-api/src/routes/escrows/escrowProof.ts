// GET /v1/escrows/{escrowId}/proof: the escrow's audit proof, for whoever may read the escrow. The
// bundle is assembled from the caller's own org's peer; its verifier trusts none of it (fabric-client).
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { RouteContext } from '../routeContext';
import { readerFor, requireVisible } from './escrowAccess';

export function getProofRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const caller = await readerFor(context.identities, principal);
    const escrowId = String(request.params['escrowId']);
    requireVisible(principal, await context.ledger.readEscrow(caller, escrowId));
    response.json(await context.ledger.proof(caller, escrowId));
  };
}
