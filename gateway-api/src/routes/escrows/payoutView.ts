// GET /v1/escrows/{escrowId}/payout: the seller's payout as the ledger and the seller's marketplace
// see it. `paid` with the provider's reference once recorded on the ledger; `pending` with its reason
// (SELLER_NOT_VERIFIED) while the marketplace's payout gate holds it; `owed` while due and not paid
// yet (or owed by the buyer's marketplace through statements); `none` when nothing is due. The reason
// lives in the seller's marketplace's records, so only its gateway can give it.
import { isTerminal, type Escrow } from '@p2p-escrow/chaincode';
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { RouteContext } from '../routeContext';
import { readerFor, requireVisible } from './escrowAccess';

async function payoutStatus(context: RouteContext, escrow: Escrow): Promise<Record<string, unknown>> {
  const paid = escrow.settlements.seller;
  if (paid !== null) return { status: 'paid', providerRef: paid.providerRef };
  if (!isTerminal(escrow.state) || BigInt(escrow.sellerPayout) === 0n) return { status: 'none' };
  const desk = context.verifications;
  const held =
    desk?.marketplace === escrow.seller.marketplace ? await desk.pending.find(escrow.escrowId) : undefined;
  if (held === undefined) return { status: 'owed' };
  return { status: 'pending', reason: held.reason, pendingSince: held.pendingSince.toISOString() };
}

export function getPayoutRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const caller = await readerFor(context.identities, principal);
    const escrow = await context.ledger.readEscrow(caller, String(request.params['escrowId']));
    requireVisible(principal, escrow);
    response.json({
      escrowId: escrow.escrowId,
      seller: escrow.seller,
      amount: escrow.sellerPayout,
      currency: escrow.currency,
      ...(await payoutStatus(context, escrow)),
    });
  };
}
