// The events API's query over a projection: the caller's visible escrow events (visibility is the
// escrow search's scope, decided by the gateway), filtered by type patterns, escrow, ledger time and
// event ids, in ledger order with an opaque cursor. Pure: it builds parameterised SQL and never touches
// a connection.
import { EVENT_NAMES } from '@p2p-escrow/chaincode';
import * as crypto from 'node:crypto';
import type { SearchScope, SqlQuery } from '../search/escrowSearch';

/** A refusal of the caller's query, with the stable code the gateway answers with. */
export class InvalidEventQueryError extends Error {
  constructor(
    readonly code: 'UNKNOWN_EVENT_TYPE' | 'INVALID_CURSOR' | 'INVALID_QUERY',
    detail: string,
  ) {
    super(detail);
    this.name = 'InvalidEventQueryError';
  }
}

/** A type filter: an event name, or one with `*` standing for any run of characters (`Escrow*`). */
const TYPE_PATTERN = /^[A-Za-z*]{1,64}$/;

/**
 * The event names `patterns` select, in catalogue order. A pattern that is malformed or selects no
 * event is refused, so a typo never reads as "no events".
 */
export function eventTypesMatching(
  patterns: readonly string[],
  catalogue: readonly string[] = EVENT_NAMES,
): string[] {
  const selected = new Set<string>();
  for (const pattern of patterns) {
    if (!TYPE_PATTERN.test(pattern))
      throw new InvalidEventQueryError(
        'UNKNOWN_EVENT_TYPE',
        `event type filter ${JSON.stringify(pattern)} is not an event name with optional * wildcards`,
      );
    const expression = new RegExp(`^${pattern.replaceAll('*', '.*')}$`);
    const matches = catalogue.filter((name) => expression.test(name));
    if (matches.length === 0)
      throw new InvalidEventQueryError(
        'UNKNOWN_EVENT_TYPE',
        `no event type matches ${JSON.stringify(pattern)}`,
      );
    for (const name of matches) selected.add(name);
  }
  return catalogue.filter((name) => selected.has(name));
}

/** What the caller asked for; every field narrows the result. */
export interface EventFilters {
  /** Event names (wildcards already expanded by `eventTypesMatching`). */
  readonly types?: readonly string[];
  readonly escrowId?: string;
  /** Ledger (transaction) time: inclusive lower and exclusive upper bound, ISO 8601 instants. */
  readonly from?: string;
  readonly to?: string;
  /** Only these event ids (`<txId>:<eventIndex>`), e.g. the caller's failed webhook deliveries. */
  readonly eventIds?: readonly string[];
}

/** An event's place in ledger order: the cursor's content. */
export interface LedgerPosition {
  readonly blockNumber: string;
  readonly txIndex: number;
  readonly eventIndex: number;
}

export interface EventQuery {
  readonly filters: EventFilters;
  readonly scope: SearchScope;
  readonly limit: number;
  readonly after?: LedgerPosition;
}

/** A row of the query: the event as published on Kafka (the outbox message) and its ledger position. */
export interface EventRow {
  readonly block_number: string;
  readonly tx_index: number;
  readonly event_index: number;
  readonly message: Record<string, unknown>;
}

/** Checks the time range of `filters` (each a valid instant, `from` before `to`). */
export function checkedTimeRange(from: string | undefined, to: string | undefined): void {
  const instants = [from, to].map((value) => (value === undefined ? undefined : Date.parse(value)));
  if (instants.some((instant) => instant !== undefined && Number.isNaN(instant)))
    throw new InvalidEventQueryError('INVALID_QUERY', 'from and to are ISO 8601 date-times');
  const [start, end] = instants;
  if (start !== undefined && end !== undefined && start >= end)
    throw new InvalidEventQueryError('INVALID_QUERY', 'from is not before to');
}

/**
 * SELECT of one page (limit + 1 rows, so the caller knows whether another follows) over the projection's
 * `transitions`, `escrows` (visibility) and `outbox` (the published message, byte for byte what Kafka
 * and the webhooks carry). `schema` is an already quoted schema name.
 */
export function buildEventQuery(query: EventQuery, schema = 'public'): SqlQuery {
  const values: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const { scope, filters } = query;
  if (scope.kind === 'marketplace') {
    const marketplace = param(scope.marketplace);
    where.push(`(e.buyer_marketplace = ${marketplace} OR e.seller_marketplace = ${marketplace})`);
  }
  if (scope.kind === 'party') {
    const [marketplace, userId] = [param(scope.party.marketplace), param(scope.party.userId)];
    where.push(
      `((e.buyer_marketplace = ${marketplace} AND e.buyer_user_id = ${userId}) OR (e.seller_marketplace = ${marketplace} AND e.seller_user_id = ${userId}))`,
    );
  }
  if (filters.types !== undefined) where.push(`t.event_name = ANY(${param(filters.types)}::text[])`);
  if (filters.escrowId !== undefined) where.push(`t.escrow_id = ${param(filters.escrowId)}`);
  if (filters.from !== undefined) where.push(`t.tx_time >= ${param(filters.from)}::timestamptz`);
  if (filters.to !== undefined) where.push(`t.tx_time < ${param(filters.to)}::timestamptz`);
  if (filters.eventIds !== undefined) where.push(`o.event_id = ANY(${param(filters.eventIds)}::text[])`);
  if (query.after !== undefined) {
    const { blockNumber, txIndex, eventIndex } = query.after;
    where.push(
      `(t.block_number, t.tx_index, t.event_index) > (${param(blockNumber)}::bigint, ${param(txIndex)}::int, ${param(eventIndex)}::int)`,
    );
  }
  const text = [
    `SELECT t.block_number::text AS block_number, t.tx_index, t.event_index, o.payload AS message`,
    `FROM ${schema}.transitions t`,
    `JOIN ${schema}.escrows e ON e.escrow_id = t.escrow_id`,
    `JOIN ${schema}.outbox o ON o.event_id = t.tx_id || ':' || t.event_index`,
    where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`,
    `ORDER BY t.block_number, t.tx_index, t.event_index`,
    `LIMIT ${param(query.limit + 1)}`,
  ]
    .filter((line) => line !== '')
    .join('\n');
  return { text, values };
}

interface CursorBody {
  readonly v: 1;
  readonly f: string;
  readonly b: string;
  readonly t: number;
  readonly e: number;
}

/**
 * Ties a cursor to the filters and scope it was issued for, so it cannot continue another query. An
 * id list counts by its presence only: the failed deliveries it comes from change between pages.
 */
function fingerprint(query: Pick<EventQuery, 'filters' | 'scope'>): string {
  const filters = Object.entries(query.filters)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, name === 'eventIds' ? true : value] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([filters, query.scope]))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeEventCursor(
  query: Pick<EventQuery, 'filters' | 'scope'>,
  position: LedgerPosition,
): string {
  const body: CursorBody = {
    v: 1,
    f: fingerprint(query),
    b: position.blockNumber,
    t: position.txIndex,
    e: position.eventIndex,
  };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const isIndex = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function decodeEventCursor(
  cursor: string,
  query: Pick<EventQuery, 'filters' | 'scope'>,
): LedgerPosition {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidEventQueryError('INVALID_CURSOR', 'not a cursor of this API');
  }
  if (typeof body !== 'object' || body === null)
    throw new InvalidEventQueryError('INVALID_CURSOR', 'not a cursor of this API');
  const { v, f, b, t, e } = body as Record<string, unknown>;
  if (v !== 1 || typeof b !== 'string' || !/^\d{1,19}$/.test(b) || !isIndex(t) || !isIndex(e))
    throw new InvalidEventQueryError('INVALID_CURSOR', 'not a cursor of this API');
  if (f !== fingerprint(query))
    throw new InvalidEventQueryError('INVALID_CURSOR', 'issued for another filter or caller');
  return { blockNumber: b, txIndex: t, eventIndex: e };
}

export interface EventPage {
  readonly records: Record<string, unknown>[];
  readonly nextCursor?: string;
}

/** Cuts the limit + 1 rows into a page and the cursor of the next one (absent on the last page). */
export function toEventPage(query: EventQuery, rows: readonly EventRow[]): EventPage {
  const pageRows = rows.slice(0, query.limit);
  const records = pageRows.map((row) => row.message);
  const last = pageRows[pageRows.length - 1];
  if (rows.length <= query.limit || last === undefined) return { records };
  return {
    records,
    nextCursor: encodeEventCursor(query, {
      blockNumber: last.block_number,
      txIndex: last.tx_index,
      eventIndex: last.event_index,
    }),
  };
}
