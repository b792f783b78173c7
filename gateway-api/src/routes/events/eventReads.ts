// What the events routes share: the caller's visible events (the escrow search's scope: arbiters and
// auditors every escrow of the projection, a marketplace's backend its marketplace's, a party its own)
// and the translation of the query builder's refusals into problems.
import {
  InvalidEventQueryError,
  type EventFilters,
  type EventQuery,
  type EventRow,
} from '@p2p-escrow/offchain-db';
import type { Principal } from '../../auth/principal';
import { NotFoundError, ValidationError } from '../../errors/apiError';
import type { EventStore } from '../../store/pgEventStore';
import { searchScope } from '../escrows/listEscrows';

/** Runs `work`, answering a refused query as 400 with the builder's code. */
export function asProblem<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InvalidEventQueryError) throw new ValidationError(error.code, error.message);
    throw error;
  }
}

export function visibleQuery(principal: Principal, filters: EventFilters, limit: number): EventQuery {
  return { filters, scope: searchScope(principal), limit };
}

/**
 * The event `eventId` if the caller may see it. Unknown and invisible answer the same 404, so the
 * answer tells nothing of other marketplaces' escrows.
 */
export async function visibleEvent(
  store: EventStore,
  principal: Principal,
  eventId: string,
): Promise<EventRow> {
  const [row] = await store.events(visibleQuery(principal, { eventIds: [eventId] }, 1));
  if (row === undefined)
    throw new NotFoundError('EVENT_NOT_FOUND', `no event ${eventId} visible to this caller`);
  return row;
}
