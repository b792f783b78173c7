// GET /v1/escrows: search over the PostgreSQL projection (eventually consistent with the ledger: the
// mirror applies each block shortly after it commits). Every filter narrows the result; the caller's
// scope is applied on top: arbiters and auditors see all, marketplace identities the escrows where
// their marketplace is the buyer's or the seller's, buyers and sellers their own.
import {
  decodeCursor,
  InvalidCursorError,
  toPage,
  type EscrowSearch,
  type EscrowSearchFilters,
  type SearchScope,
  type SearchSort,
} from '@p2p-escrow/offchain-db';
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { Principal } from '../../auth/principal';
import { ForbiddenError, ValidationError } from '../../errors/apiError';
import { escrowFromRecord } from '../../fabric/ledgerResults';
import type { RouteContext } from '../routeContext';
import { firstHeld, isOverseer, READ_ROLES } from './escrowAccess';

export interface ListQuery {
  /** `marketplace` and `userId`, gathered by the OpenAPI validator (an exploded object parameter). */
  party?: { marketplace?: string; userId?: string };
  state?: string;
  currency?: string;
  amountMin?: string;
  amountMax?: string;
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  q?: string;
  itemState?: string;
  /** Coerced to a boolean by the OpenAPI validator. */
  held?: boolean;
  sort?: SearchSort;
  pageSize?: number;
  cursor?: string;
}

/** The escrows a caller may see, whatever they filter on. */
export function searchScope(principal: Principal): SearchScope {
  firstHeld(principal, READ_ROLES);
  if (isOverseer(principal)) return { kind: 'all' };
  const marketplace = principal.marketplace;
  if (marketplace === undefined)
    throw new ForbiddenError('MARKETPLACE_REQUIRED', 'the token carries no marketplace claim');
  if (principal.roles.has('marketplace') || principal.roles.has('payments'))
    return { kind: 'marketplace', marketplace };
  return { kind: 'party', party: { marketplace, userId: principal.userId } };
}

// The instants PostgreSQL's timestamptz holds, from year 1 to year 9999; no escrow lies outside them.
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A date-time filter as the UTC instant it names. The document's date-time admits any offset up to
 * ±23:59, and PostgreSQL refuses one past ±15:59 ("time zone displacement out of range", 22009): the
 * instant goes on in UTC, kept within the years PostgreSQL holds (a bound outside them selects what
 * the nearest one does).
 */
function instantOf(name: string, value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError('INVALID_QUERY', `${name} is not a date-time`);
  return new Date(Math.min(LATEST, Math.max(EARLIEST, ms))).toISOString();
}

/** The search filters a query names, each checked and in the form the projection's store takes. */
export function searchFilters(query: ListQuery): EscrowSearchFilters {
  const { marketplace, userId } = query.party ?? {};
  if (userId !== undefined && marketplace === undefined)
    throw new ValidationError('INVALID_QUERY', 'userId needs marketplace (a party is marketplace + userId)');
  if (
    query.amountMin !== undefined &&
    query.amountMax !== undefined &&
    BigInt(query.amountMin) > BigInt(query.amountMax)
  )
    throw new ValidationError('INVALID_QUERY', 'amountMin is above amountMax');
  return {
    ...(marketplace !== undefined && userId !== undefined ? { party: { marketplace, userId } } : {}),
    ...(marketplace !== undefined && userId === undefined ? { marketplace } : {}),
    ...(query.state === undefined ? {} : { state: query.state }),
    ...(query.currency === undefined ? {} : { currency: query.currency }),
    ...(query.amountMin === undefined ? {} : { amountMin: query.amountMin }),
    ...(query.amountMax === undefined ? {} : { amountMax: query.amountMax }),
    ...(query.createdFrom === undefined ? {} : { createdFrom: instantOf('createdFrom', query.createdFrom) }),
    ...(query.createdTo === undefined ? {} : { createdTo: instantOf('createdTo', query.createdTo) }),
    ...(query.updatedFrom === undefined ? {} : { updatedFrom: instantOf('updatedFrom', query.updatedFrom) }),
    ...(query.updatedTo === undefined ? {} : { updatedTo: instantOf('updatedTo', query.updatedTo) }),
    ...(query.q === undefined ? {} : { text: query.q }),
    ...(query.itemState === undefined ? {} : { itemState: query.itemState }),
    ...(query.held === undefined ? {} : { held: query.held }),
  };
}

export function listEscrowsRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const query = request.query as ListQuery;
    const base = {
      filters: searchFilters(query),
      scope: searchScope(principalOf(response)),
      sort: query.sort ?? '-createdAt',
      limit: query.pageSize ?? 25,
    };
    let search: EscrowSearch = base;
    if (query.cursor !== undefined && query.cursor !== '') {
      try {
        search = { ...base, after: decodeCursor(query.cursor, base) };
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new ValidationError('INVALID_CURSOR', error.message);
        throw error;
      }
    }
    response.json(toPage(search, await context.search.search(search), escrowFromRecord));
  };
}
