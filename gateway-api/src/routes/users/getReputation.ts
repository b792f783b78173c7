// GET /v1/users/{marketplace}/{userId}/reputation: derived from the user's per-escrow reviews on the
// ledger, and the same without the reviews the current review-ring run flagged.
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { RouteContext } from '../routeContext';
import { readerFor } from '../escrows/escrowAccess';
import { reputationWithFlags } from './reputationWithFlags';

export function getReputationRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const caller = await readerFor(context.identities, principalOf(response));
    const marketplace = String(request.params['marketplace']);
    const userId = String(request.params['userId']);
    const [reputation, flagged] = await Promise.all([
      context.ledger.reputation(caller, marketplace, userId),
      context.flaggedReviews.of(marketplace, userId),
    ]);
    response.json(reputationWithFlags(reputation, flagged));
  };
}
