// GET /v1/escrows/{escrowId}/private-details: the escrow's personal data (shipping address, contact),
// kept only in the private collection of the parties' marketplaces. The parties and their marketplace
// backends may read it; the chaincode checks the same again and verifies the stored hash.
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { GatewayRole } from '../../auth/principal';
import type { RouteContext } from '../routeContext';
import { actingRole, callerAs, firstHeld, requireVisible } from './escrowAccess';

const PRIVATE_DETAILS_READERS: readonly GatewayRole[] = ['buyer', 'seller', 'marketplace'];

export function getPrivateDetailsRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const escrowId = String(request.params['escrowId']);
    const reader = await callerAs(
      context.identities,
      principal,
      firstHeld(principal, PRIVATE_DETAILS_READERS),
    );
    const escrow = await context.ledger.readEscrow(reader, escrowId);
    requireVisible(principal, escrow);
    const role = actingRole(principal, escrow, PRIVATE_DETAILS_READERS);
    const caller = await callerAs(context.identities, principal, role);
    const details = await context.ledger.readPrivateDetails(caller, escrowId);
    response.json({
      escrowId,
      shippingAddress: details['shippingAddress'],
      contact: details['contact'],
      salt: details['salt'],
      hash: details['hash'],
      hashMatches: details['hashMatches'],
    });
  };
}
