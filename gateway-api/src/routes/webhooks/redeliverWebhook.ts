// POST /v1/webhooks/{webhookId}/redeliver: a marketplace's backend asks for events again on one of its
// own subscriptions, by event id or by ledger-time range. Only events it may see (its marketplace's
// escrows in its org's projection) are queued; the notifier signs and sends them as every delivery.
import type { Request, Response } from 'express';
import { principalOf, requireAnyRole } from '../../auth/authenticate';
import { organizationOf } from '../../auth/principal';
import { ApiError, NotFoundError, ValidationError } from '../../errors/apiError';
import { asProblem, visibleEvent, visibleQuery } from '../events/eventReads';
import type { EventRoutesContext } from '../events/listEvents';
import { checkedTimeRange } from '@p2p-escrow/offchain-db';

/** The most events one request redelivers; a partner asks for a longer outage in several ranges. */
export const REDELIVERY_LIMIT = 1000;

type RedeliveryRequest = { eventId: string } | { from: string; to: string };

async function chosenEventIds(
  context: EventRoutesContext,
  response: Response,
  body: RedeliveryRequest,
): Promise<string[]> {
  const principal = principalOf(response);
  if ('eventId' in body) {
    const row = await visibleEvent(context.events, principal, body.eventId);
    return [String(row.message['eventId'])];
  }
  asProblem(() => {
    checkedTimeRange(body.from, body.to);
  });
  const range = { from: new Date(body.from).toISOString(), to: new Date(body.to).toISOString() };
  const rows = await context.events.events(visibleQuery(principal, range, REDELIVERY_LIMIT));
  if (rows.length > REDELIVERY_LIMIT)
    throw new ApiError(
      422,
      'REDELIVERY_RANGE_TOO_LARGE',
      `more than ${REDELIVERY_LIMIT} events in this range; ask for shorter ranges`,
      { limit: REDELIVERY_LIMIT },
    );
  return rows.map((row) => String(row.message['eventId']));
}

export function redeliverWebhookRoute(context: EventRoutesContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    requireAnyRole(principal, ['marketplace']);
    const body = request.body as RedeliveryRequest;
    if ('eventId' in body === ('from' in body || 'to' in body))
      throw new ValidationError('INVALID_REDELIVERY', 'name either eventId or from and to');
    const webhookId = String(request.params['webhookId']);
    const eventIds = await chosenEventIds(context, response, body);
    const queued = await context.redelivery.redeliver(
      organizationOf(principal, 'marketplace'),
      webhookId,
      eventIds,
    );
    if (queued === undefined)
      throw new NotFoundError('WEBHOOK_NOT_FOUND', 'this marketplace has no such webhook');
    response.status(202).json({ webhookId, requested: eventIds.length, queued });
  };
}
