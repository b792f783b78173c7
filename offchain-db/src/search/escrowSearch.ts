// The escrow search over the projection: filters, the caller's visibility scope, a stable keyset sort
// and its opaque cursor. Pure: it builds parameterised SQL and never touches a connection, so the
// gateway's adapter and the search benchmark run exactly the same statements.
import * as crypto from 'node:crypto';

// The chaincode's own list: the projection holds exactly the states the ledger can.
export { ESCROW_STATES } from '@p2p-escrow/chaincode';

/** `createdAt` / `updatedAt` ascending, or descending with a leading `-` (the default: newest first). */
export const SEARCH_SORTS = ['-createdAt', 'createdAt', '-updatedAt', 'updatedAt'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface PartyRef {
  readonly marketplace: string;
  readonly userId: string;
}

/** What the caller asked for; every field narrows the result. Amounts are minor units (digits). */
export interface EscrowSearchFilters {
  readonly party?: PartyRef;
  readonly marketplace?: string;
  readonly state?: string;
  readonly currency?: string;
  readonly amountMin?: string;
  readonly amountMax?: string;
  /** Inclusive lower and exclusive upper bounds (ISO 8601 instants). */
  readonly createdFrom?: string;
  readonly createdTo?: string;
  readonly updatedFrom?: string;
  readonly updatedTo?: string;
  /** Substring of the item descriptions, case-insensitive (trigram index). */
  readonly text?: string;
  /** An item of the escrow is in this state (escrows moving per item: the chaincode's ITEM_STATES). */
  readonly itemState?: string;
  /** Held by an active risk hold (true) or not (false): the projection's generated `held`. */
  readonly held?: boolean;
}

/** Which escrows the caller may see at all, decided by the gateway from the verified token. */
export type SearchScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'marketplace'; readonly marketplace: string }
  | { readonly kind: 'party'; readonly party: PartyRef };

export interface SearchPosition {
  readonly sortKey: string;
  readonly escrowId: string;
}

export interface EscrowSearch {
  readonly filters: EscrowSearchFilters;
  readonly scope: SearchScope;
  readonly sort: SearchSort;
  readonly limit: number;
  readonly after?: SearchPosition;
}

export interface SqlQuery {
  readonly text: string;
  readonly values: unknown[];
}

/** A row of the search: the ledger record plus the sort key as exact text (microseconds, UTC). */
export interface EscrowSearchRow {
  readonly escrow_id: string;
  readonly sort_key: string;
  readonly record: unknown;
}

export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

const sortColumns: Record<SearchSort, { column: 'created_at' | 'updated_at'; descending: boolean }> = {
  '-createdAt': { column: 'created_at', descending: true },
  createdAt: { column: 'created_at', descending: false },
  '-updatedAt': { column: 'updated_at', descending: true },
  updatedAt: { column: 'updated_at', descending: false },
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * SELECT of one page (limit + 1 rows, so the caller knows whether another page follows). `table` is
 * a schema-qualified, already quoted name; the live gateway reads `public.escrows`.
 */
export function buildEscrowSearch(search: EscrowSearch, table = 'public.escrows'): SqlQuery {
  const values: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const partyClause = (party: PartyRef): string => {
    const marketplace = param(party.marketplace);
    const userId = param(party.userId);
    return `((buyer_marketplace = ${marketplace} AND buyer_user_id = ${userId}) OR (seller_marketplace = ${marketplace} AND seller_user_id = ${userId}))`;
  };
  const marketplaceClause = (marketplace: string): string => {
    const value = param(marketplace);
    return `(buyer_marketplace = ${value} OR seller_marketplace = ${value})`;
  };

  const { scope, filters } = search;
  if (scope.kind === 'marketplace') where.push(marketplaceClause(scope.marketplace));
  if (scope.kind === 'party') where.push(partyClause(scope.party));
  if (filters.party !== undefined) where.push(partyClause(filters.party));
  if (filters.marketplace !== undefined) where.push(marketplaceClause(filters.marketplace));
  if (filters.state !== undefined) where.push(`state = ${param(filters.state)}`);
  if (filters.currency !== undefined) where.push(`currency = ${param(filters.currency)}`);
  if (filters.amountMin !== undefined) where.push(`amount >= ${param(filters.amountMin)}::numeric`);
  if (filters.amountMax !== undefined) where.push(`amount <= ${param(filters.amountMax)}::numeric`);
  if (filters.createdFrom !== undefined)
    where.push(`created_at >= ${param(filters.createdFrom)}::timestamptz`);
  if (filters.createdTo !== undefined) where.push(`created_at < ${param(filters.createdTo)}::timestamptz`);
  if (filters.updatedFrom !== undefined)
    where.push(`updated_at >= ${param(filters.updatedFrom)}::timestamptz`);
  if (filters.updatedTo !== undefined) where.push(`updated_at < ${param(filters.updatedTo)}::timestamptz`);
  if (filters.text !== undefined)
    where.push(`item_text ILIKE ${param(`%${escapeLike(filters.text)}%`)} ESCAPE '\\'`);
  if (filters.itemState !== undefined)
    where.push(
      `record -> 'itemLifecycles' @> jsonb_build_array(jsonb_build_object('state', ${param(filters.itemState)}::text))`,
    );

  if (filters.held !== undefined) where.push(`held = ${param(filters.held)}`);

  const { column, descending } = sortColumns[search.sort];
  if (search.after !== undefined) {
    const key = param(search.after.sortKey);
    const id = param(search.after.escrowId);
    where.push(`(${column}, escrow_id) ${descending ? '<' : '>'} (${key}::timestamptz, ${id})`);
  }
  const direction = descending ? 'DESC' : 'ASC';
  const text = [
    `SELECT escrow_id, to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key, record`,
    `FROM ${table}`,
    where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`,
    `ORDER BY ${column} ${direction}, escrow_id ${direction}`,
    `LIMIT ${param(search.limit + 1)}`,
  ]
    .filter((line) => line !== '')
    .join('\n');
  return { text, values };
}

interface CursorBody {
  readonly v: 1;
  readonly s: SearchSort;
  readonly f: string;
  readonly k: string;
  readonly i: string;
}

/** Ties a cursor to the filters and scope it was issued for, so it cannot continue another search. */
export function searchFingerprint(search: Pick<EscrowSearch, 'filters' | 'scope' | 'sort'>): string {
  const filters = Object.entries(search.filters)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([filters, search.scope, search.sort]))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeCursor(
  search: Pick<EscrowSearch, 'filters' | 'scope' | 'sort'>,
  position: SearchPosition,
): string {
  const body: CursorBody = {
    v: 1,
    s: search.sort,
    f: searchFingerprint(search),
    k: position.sortKey,
    i: position.escrowId,
  };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const sortKeyPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function decodeCursor(
  cursor: string,
  search: Pick<EscrowSearch, 'filters' | 'scope' | 'sort'>,
): SearchPosition {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor of this API');
  }
  if (typeof body !== 'object' || body === null) throw new InvalidCursorError('not a cursor of this API');
  const { v, s, f, k, i } = body as Record<string, unknown>;
  if (v !== 1 || typeof k !== 'string' || !sortKeyPattern.test(k) || typeof i !== 'string' || i === '')
    throw new InvalidCursorError('not a cursor of this API');
  if (s !== search.sort || f !== searchFingerprint(search))
    throw new InvalidCursorError('issued for another sort, filter or caller');
  return { sortKey: k, escrowId: i };
}

export interface SearchPage<T> {
  readonly records: T[];
  readonly nextCursor?: string;
}

/** Cuts the limit + 1 rows into a page and the cursor of the next one (absent on the last page). */
export function toPage<T>(
  search: EscrowSearch,
  rows: readonly EscrowSearchRow[],
  decode: (record: unknown) => T,
): SearchPage<T> {
  const pageRows = rows.slice(0, search.limit);
  const last = pageRows[pageRows.length - 1];
  const records = pageRows.map((row) => decode(row.record));
  if (rows.length <= search.limit || last === undefined) return { records };
  return { records, nextCursor: encodeCursor(search, { sortKey: last.sort_key, escrowId: last.escrow_id }) };
}
