// POST /v1/escrows: a marketplace backend opens an escrow for its buyer or seller.
import type { Request, Response } from 'express';
import * as crypto from 'node:crypto';
import { principalOf, requireAnyRole } from '../../auth/authenticate';
import type { CreateEscrowRequest } from '../../fabric/escrowLedgerClient';
import { sendOutcome, type RouteContext } from '../routeContext';
import { callerAs } from './escrowAccess';

interface CreateBody extends CreateEscrowRequest {
  readonly escrowId?: string;
  readonly privateDetails?: Record<string, unknown>;
}

export function createEscrowRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    requireAnyRole(principal, ['marketplace']);
    const {
      escrowId = `esc-${crypto.randomUUID()}`,
      privateDetails,
      ...ledgerRequest
    } = request.body as CreateBody;
    const caller = await callerAs(context.identities, principal, 'marketplace');
    const outcome = await context.ledger.createEscrow(caller, escrowId, ledgerRequest, privateDetails);
    if (outcome.status === 'COMMITTED') response.location(`/v1/escrows/${escrowId}`);
    sendOutcome(response, outcome, 201, 'escrow');
  };
}
