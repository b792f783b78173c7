import { expect } from 'chai';
import {
  buildEscrowSearch,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  toPage,
  type EscrowSearch,
} from './escrowSearch';

const base: EscrowSearch = {
  filters: { state: 'FUNDED', text: '50%_off' },
  scope: { kind: 'marketplace', marketplace: 'MarketA' },
  sort: '-createdAt',
  limit: 2,
};
const position = { sortKey: '2026-11-25T07:00:00.123456Z', escrowId: 'esc-9' };

describe('escrow search query builder', () => {
  it('binds every value as a parameter and escapes LIKE wildcards in the item text', () => {
    const query = buildEscrowSearch({ ...base, after: position });
    expect(query.text).to.not.include('MarketA');
    expect(query.values).to.deep.equal(['MarketA', 'FUNDED', '%50\\%\\_off%', position.sortKey, 'esc-9', 3]);
    expect(query.text).to.include('(created_at, escrow_id) < ($4::timestamptz, $5)');
    expect(query.text).to.include('ORDER BY created_at DESC, escrow_id DESC');
  });

  it('finds escrows holding an item in a given state, from the record the mirror stored', () => {
    const query = buildEscrowSearch({ ...base, filters: { itemState: 'DISPUTED' } });
    expect(query.text).to.include(
      `record -> 'itemLifecycles' @> jsonb_build_array(jsonb_build_object('state', $2::text))`,
    );
    expect(query.values).to.deep.equal(['MarketA', 'DISPUTED', 3]);
  });

  it('finds held escrows (or those not held) on the projection’s generated column', () => {
    const query = buildEscrowSearch({ ...base, filters: { held: true } });
    expect(query.text).to.include('held = $2');
    expect(query.values).to.deep.equal(['MarketA', true, 3]);
  });

  it('continues ascending sorts with > and reads the table it is given', () => {
    const query = buildEscrowSearch({ ...base, sort: 'updatedAt', after: position }, 'search_bench.escrows');
    expect(query.text).to.include('FROM search_bench.escrows');
    expect(query.text).to.include('(updated_at, escrow_id) > (');
    expect(query.text).to.include('ORDER BY updated_at ASC, escrow_id ASC');
  });

  it('round-trips a cursor and refuses it for another filter, scope or sort', () => {
    const cursor = encodeCursor(base, position);
    expect(decodeCursor(cursor, base)).to.deep.equal(position);
    for (const other of [
      { ...base, filters: { state: 'CREATED' } },
      { ...base, scope: { kind: 'all' as const } },
      { ...base, sort: 'createdAt' as const },
    ])
      expect(() => decodeCursor(cursor, other)).to.throw(InvalidCursorError);
    expect(() => decodeCursor('not-a-cursor', base)).to.throw(InvalidCursorError);
  });

  it('returns a next cursor only when a row beyond the page exists', () => {
    const rows = ['a', 'b', 'c'].map((id) => ({ escrow_id: id, sort_key: position.sortKey, record: { id } }));
    const full = toPage(base, rows, (record) => record);
    expect(full.records).to.have.length(2);
    expect(decodeCursor(full.nextCursor ?? '', base)).to.deep.equal({
      sortKey: position.sortKey,
      escrowId: 'b',
    });
    expect(toPage(base, rows.slice(0, 2), (record) => record).nextCursor).to.equal(undefined);
  });
});
