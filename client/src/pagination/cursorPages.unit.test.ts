import { expect } from 'chai';
import { ClientError } from '../errors/clientError';
import { cursorRecords, type CursorPage } from './cursorPages';

async function collect<Item>(iterator: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).to.be.instanceOf(ClientError);
  return error as ClientError;
}

describe('cursor iteration', () => {
  it('walks from the first page to the one without a next cursor, passing each cursor on', async () => {
    const pages: Record<string, CursorPage<number>> = {
      first: { records: [1, 2], nextCursor: 'c2' },
      c2: { records: [3], nextCursor: 'c3' },
      c3: { records: [] },
    };
    const asked: (string | undefined)[] = [];
    const records = await collect(
      cursorRecords((cursor) => {
        asked.push(cursor);
        return Promise.resolve(pages[cursor ?? 'first']!);
      }),
    );
    expect(records).to.deep.equal([1, 2, 3]);
    expect(asked).to.deep.equal([undefined, 'c2', 'c3']);
  });

  it('stops with CURSOR_REPEATED when a cursor comes back', async () => {
    const error = await failure(
      collect(cursorRecords(() => Promise.resolve({ records: [1], nextCursor: 'same' }))),
    );
    expect(error.code).to.equal('CURSOR_REPEATED');
  });

  it('stops with PAGE_LIMIT_REACHED past maxPages', async () => {
    let page = 0;
    const endless = () => Promise.resolve({ records: [page], nextCursor: `c${++page}` });
    const error = await failure(collect(cursorRecords(endless, { maxPages: 5 })));
    expect([error.code, page]).to.deep.equal(['PAGE_LIMIT_REACHED', 5]);
  });
});
