// Cursor iteration over the gateway's list endpoints: each page names the cursor of the next one
// (`nextCursor`), and the last page names none. The walk is bounded: a cursor seen twice (a
// gateway bug would loop forever) and more pages than the caller allows both stop it with a code.
import { ClientError } from '../errors/clientError';

export interface CursorPage<Item> {
  readonly records: readonly Item[];
  readonly nextCursor?: string | null;
}

export interface PageLimits {
  /** Pages fetched at most (default 1000); more throws PAGE_LIMIT_REACHED. */
  readonly maxPages?: number;
}

/** Every page, from the first (no cursor) to the one without a next cursor. */
export async function* cursorPages<Item>(
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<Item>>,
  limits: PageLimits = {},
): AsyncGenerator<CursorPage<Item>, void, undefined> {
  const maxPages = limits.maxPages ?? 1000;
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages) throw new ClientError('PAGE_LIMIT_REACHED', `more than ${maxPages} pages`);
    const page = await fetchPage(cursor);
    yield page;
    const next = page.nextCursor ?? undefined;
    if (next === undefined || next === '') return;
    if (seen.has(next)) throw new ClientError('CURSOR_REPEATED', `the gateway returned cursor ${next} twice`);
    seen.add(next);
    cursor = next;
  }
}

/** Every record of every page, in the gateway's order. */
export async function* cursorRecords<Item>(
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<Item>>,
  limits: PageLimits = {},
): AsyncGenerator<Item, void, undefined> {
  for await (const page of cursorPages(fetchPage, limits)) yield* page.records;
}
