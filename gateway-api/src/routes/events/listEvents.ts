// GET /v1/events and GET /v1/events/{eventId}: the caller's visible escrow events from the org's
// projection, in ledger order (oldest first, so a partner catches up page by page), each exactly the
// message Kafka and the webhooks carry, with its per-escrow `sequence`. `deliveryFailed=true` narrows
// to the events whose webhook delivery to the caller's marketplace failed.
import {
  checkedTimeRange,
  decodeEventCursor,
  eventTypesMatching,
  toEventPage,
} from '@p2p-escrow/offchain-db';
import type { EventFilters, WebhookRedelivery } from '@p2p-escrow/offchain-db';
import type { Request, Response } from 'express';
import { principalOf, requireAnyRole } from '../../auth/authenticate';
import { organizationOf, type Principal } from '../../auth/principal';
import type { EventStore } from '../../store/pgEventStore';
import { asProblem, visibleEvent, visibleQuery } from './eventReads';

interface ListQuery {
  /** Comma-separated event names, `*` for any run of characters (the validator keeps it a string). */
  type?: string;
  escrowId?: string;
  from?: string;
  to?: string;
  deliveryFailed?: boolean;
  pageSize?: number;
  cursor?: string;
}

export interface EventRoutesContext {
  readonly events: EventStore;
  readonly redelivery: WebhookRedelivery;
}

/** The filters of the query string; the failed deliveries are the caller's marketplace's own. */
export async function filtersOf(
  context: EventRoutesContext,
  principal: Principal,
  query: ListQuery,
): Promise<EventFilters> {
  const types =
    query.type === undefined
      ? undefined
      : asProblem(() => eventTypesMatching(query.type?.split(',').map((part) => part.trim()) ?? []));
  asProblem(() => {
    checkedTimeRange(query.from, query.to);
  });
  let eventIds: string[] | undefined;
  if (query.deliveryFailed === true) {
    requireAnyRole(principal, ['marketplace']);
    eventIds = await context.redelivery.failedEventIds(organizationOf(principal, 'marketplace'));
  }
  return {
    ...(types === undefined ? {} : { types }),
    ...(query.escrowId === undefined ? {} : { escrowId: query.escrowId }),
    ...(query.from === undefined ? {} : { from: new Date(query.from).toISOString() }),
    ...(query.to === undefined ? {} : { to: new Date(query.to).toISOString() }),
    ...(eventIds === undefined ? {} : { eventIds }),
  };
}

export function listEventsRoute(context: EventRoutesContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const query = request.query as ListQuery;
    const base = visibleQuery(principal, await filtersOf(context, principal, query), query.pageSize ?? 100);
    const cursor = query.cursor;
    const search =
      cursor === undefined || cursor === ''
        ? base
        : { ...base, after: asProblem(() => decodeEventCursor(cursor, base)) };
    response.json(toEventPage(search, await context.events.events(search)));
  };
}

export function getEventRoute(context: EventRoutesContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const row = await visibleEvent(context.events, principalOf(response), String(request.params['eventId']));
    response.json(row.message);
  };
}
