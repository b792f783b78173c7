// POST /v1/escrows: a marketplace backend opens an escrow for its buyer or seller.
import type { Escrow } from '@p2p-escrow/chaincode';
import type { Request, Response } from 'express';
import { principalOf, requireAnyRole } from '../../auth/authenticate';
import type { CreateEscrowRequest, SubmitOutcome } from '../../fabric/escrowLedgerClient';
import { ChaincodeRefusalError } from '../../fabric/ledgerErrors';
import { idempotencyScope, isIdempotencyResumed } from '../../idempotency/idempotencyMiddleware';
import { sendOutcome, type RouteContext } from '../routeContext';
import { derivedEscrowId } from './derivedEscrowId';
import { earlierCreation } from './earlierCreation';
import { callerAs } from './escrowAccess';

interface CreateBody extends CreateEscrowRequest {
  readonly escrowId?: string;
  readonly privateDetails?: Record<string, unknown>;
}

export function createEscrowRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    requireAnyRole(principal, ['marketplace']);
    const { escrowId: chosenId, privateDetails, ...ledgerRequest } = request.body as CreateBody;
    // The idempotency middleware has checked the key before any route runs.
    const escrowId =
      chosenId ?? derivedEscrowId(idempotencyScope(principal), request.get('Idempotency-Key') ?? '');
    const caller = await callerAs(context.identities, principal, 'marketplace');
    let outcome: SubmitOutcome<Escrow>;
    try {
      outcome = await context.ledger.createEscrow(caller, escrowId, ledgerRequest, privateDetails);
    } catch (error) {
      // A retry after a crashed attempt: the escrow may exist because that attempt committed it.
      const exists = error instanceof ChaincodeRefusalError && error.code === 'ESCROW_EXISTS';
      if (!exists || !isIdempotencyResumed(response)) throw error;
      const earlier = await earlierCreation(context, caller, escrowId, ledgerRequest, principal.userId);
      if (earlier === undefined) throw error;
      outcome = earlier;
    }
    if (outcome.status === 'COMMITTED') response.location(`/v1/escrows/${escrowId}`);
    await sendOutcome(context, response, { principal, caller }, outcome, 201, 'escrow');
  };
}
