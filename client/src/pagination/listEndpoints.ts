// Async iterators over the gateway's paged lists, for `for await` loops: escrow search and events.
import { unwrap } from '../errors/apiProblemError';
import type { GatewayClient } from '../gatewayClient';
import type { components, operations } from '../generated/gatewayApi';
import { cursorRecords, type PageLimits } from './cursorPages';

export type Escrow = components['schemas']['Escrow'];
export type EscrowEventMessage = components['schemas']['EscrowEventMessage'];
export type EscrowSearch = Omit<NonNullable<operations['listEscrows']['parameters']['query']>, 'cursor'>;
export type EventQuery = Omit<NonNullable<operations['listEvents']['parameters']['query']>, 'cursor'>;

/** The query of the page after `cursor` (the first page has none). */
function atCursor<Query extends object>(
  query: Query,
  cursor: string | undefined,
): Query & { cursor?: string } {
  return cursor === undefined ? query : { ...query, cursor };
}

/** Every escrow the search matches (the caller's marketplace's projection), page after page. */
export function searchEscrows(client: GatewayClient, query: EscrowSearch = {}, limits: PageLimits = {}) {
  const page = async (cursor?: string) =>
    unwrap(await client.GET('/v1/escrows', { params: { query: atCursor(query, cursor) } }));
  return cursorRecords<Escrow>(page, limits);
}

/** Every event the caller may see, oldest first, page after page. */
export function listEvents(client: GatewayClient, query: EventQuery = {}, limits: PageLimits = {}) {
  const page = async (cursor?: string) =>
    unwrap(await client.GET('/v1/events', { params: { query: atCursor(query, cursor) } }));
  return cursorRecords<EscrowEventMessage>(page, limits);
}
