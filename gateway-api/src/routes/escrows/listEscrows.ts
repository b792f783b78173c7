// GET /v1/escrows: by party (marketplace + userId), by marketplace, or by state, from the chaincode's
// index queries. Buyers and sellers list their own escrows, marketplace identities their marketplace's;
// listing by state spans marketplaces and is for arbiters and auditors.
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { Principal } from '../../auth/principal';
import { ForbiddenError, ValidationError } from '../../errors/apiError';
import type { RouteContext } from '../routeContext';
import { isOverseer, readerFor } from './escrowAccess';

interface ListQuery {
  marketplace?: string;
  userId?: string;
  state?: string;
  pageSize?: number;
  bookmark?: string;
}

function refuse(detail: string): ForbiddenError {
  return new ForbiddenError('ESCROW_ACCESS_DENIED', detail);
}

function checkListAccess(principal: Principal, query: ListQuery): void {
  if (isOverseer(principal)) return;
  if (query.state !== undefined) throw refuse('listing by state is for arbiters and auditors');
  const ownMarketplace = query.marketplace === principal.marketplace;
  const marketplaceStaff = principal.roles.has('marketplace') || principal.roles.has('payments');
  if (marketplaceStaff && ownMarketplace) return;
  if (query.userId !== undefined && query.userId === principal.userId && ownMarketplace) return;
  throw refuse('callers list their own escrows or, as a marketplace, their marketplace');
}

export function listEscrowsRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const query = request.query as ListQuery;
    const pageSize = query.pageSize ?? 25;
    const bookmark = query.bookmark ?? '';
    const byParty = query.userId !== undefined;
    if (byParty && query.marketplace === undefined)
      throw new ValidationError('INVALID_QUERY', 'userId needs marketplace');
    if ([byParty || query.marketplace !== undefined, query.state !== undefined].filter(Boolean).length !== 1)
      throw new ValidationError(
        'INVALID_QUERY',
        'filter by exactly one of: party (marketplace + userId), marketplace, state',
      );
    checkListAccess(principal, query);
    const caller = await readerFor(context.identities, principal);
    const page =
      query.state !== undefined
        ? await context.ledger.listByState(caller, query.state, pageSize, bookmark)
        : byParty
          ? await context.ledger.listByParty(
              caller,
              String(query.marketplace),
              String(query.userId),
              pageSize,
              bookmark,
            )
          : await context.ledger.listByMarketplace(caller, String(query.marketplace), pageSize, bookmark);
    response.json(page);
  };
}
