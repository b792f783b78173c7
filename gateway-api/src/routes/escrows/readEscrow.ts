// GET /v1/escrows/{escrowId} and its history: visible to the parties, their marketplaces, arbiters and auditors.
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { RouteContext } from '../routeContext';
import { readerFor, requireVisible } from './escrowAccess';

function escrowIdOf(request: Request): string {
  return String(request.params['escrowId']);
}

export function getEscrowRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const caller = await readerFor(context.identities, principal);
    const escrow = await context.ledger.readEscrow(caller, escrowIdOf(request));
    requireVisible(principal, escrow);
    response.json(escrow);
  };
}

export function getHistoryRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const caller = await readerFor(context.identities, principal);
    const escrowId = escrowIdOf(request);
    requireVisible(principal, await context.ledger.readEscrow(caller, escrowId));
    const entries = await context.ledger.history(caller, escrowId);
    response.json({ escrowId, entries });
  };
}
