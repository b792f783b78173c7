// GET /v1/users/{marketplace}/{userId}/reputation: derived from the user's per-escrow reviews.
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { RouteContext } from '../routeContext';
import { readerFor } from '../escrows/escrowAccess';

export function getReputationRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const caller = await readerFor(context.identities, principalOf(response));
    response.json(
      await context.ledger.reputation(
        caller,
        String(request.params['marketplace']),
        String(request.params['userId']),
      ),
    );
  };
}
