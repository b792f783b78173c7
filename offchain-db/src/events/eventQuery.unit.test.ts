import { expect } from 'chai';
import {
  buildEventQuery,
  checkedTimeRange,
  decodeEventCursor,
  encodeEventCursor,
  eventTypesMatching,
  InvalidEventQueryError,
  toEventPage,
  type EventQuery,
} from './eventQuery';

const marketA: EventQuery = { filters: {}, scope: { kind: 'marketplace', marketplace: 'MarketA' }, limit: 2 };

function refusal(run: () => unknown): InvalidEventQueryError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidEventQueryError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('eventTypesMatching', () => {
  it('expands * wildcards against the chaincode catalogue, in catalogue order', () => {
    expect(eventTypesMatching(['Escrow*'])).to.deep.equal([
      'EscrowCreated',
      'EscrowAccepted',
      'EscrowDeclined',
      'EscrowExpired',
    ]);
    expect(eventTypesMatching(['Dispute*', 'Released', 'Released'])).to.deep.equal([
      'Released',
      'DisputeRaised',
    ]);
    expect(eventTypesMatching(['*Confirmed'])).to.include.members(['PaymentConfirmed', 'DeliveryConfirmed']);
  });

  it('refuses a pattern that selects nothing or is not a name, so a typo never reads as "no events"', () => {
    expect(refusal(() => eventTypesMatching(['escrow.*'])).code).to.equal('UNKNOWN_EVENT_TYPE');
    expect(refusal(() => eventTypesMatching(['Nothing*'])).code).to.equal('UNKNOWN_EVENT_TYPE');
    expect(refusal(() => eventTypesMatching(['Escrow%'])).code).to.equal('UNKNOWN_EVENT_TYPE');
  });
});

describe('checkedTimeRange', () => {
  it('accepts an open or ordered range and refuses a reversed or malformed one', () => {
    checkedTimeRange(undefined, undefined);
    checkedTimeRange('2030-01-01T00:00:00Z', undefined);
    checkedTimeRange('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z');
    expect(
      refusal(() => {
        checkedTimeRange('2030-01-02T00:00:00Z', '2030-01-01T00:00:00Z');
      }).code,
    ).to.equal('INVALID_QUERY');
    expect(
      refusal(() => {
        checkedTimeRange('yesterday', undefined);
      }).code,
    ).to.equal('INVALID_QUERY');
  });
});

describe('event cursor', () => {
  const position = { blockNumber: '12', txIndex: 3, eventIndex: 0 };

  it('is opaque and continues the same query from the position it names', () => {
    const cursor = encodeEventCursor(marketA, position);

    expect(cursor).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodeEventCursor(cursor, marketA)).to.deep.equal(position);
  });

  it('refuses a cursor of another filter or caller, and anything that is not a cursor', () => {
    const cursor = encodeEventCursor(marketA, position);
    const marketB = { ...marketA, scope: { kind: 'marketplace' as const, marketplace: 'MarketB' } };
    const filtered = { ...marketA, filters: { escrowId: 'esc-1' } };

    expect(refusal(() => decodeEventCursor(cursor, marketB)).code).to.equal('INVALID_CURSOR');
    expect(refusal(() => decodeEventCursor(cursor, filtered)).code).to.equal('INVALID_CURSOR');
    expect(refusal(() => decodeEventCursor('not-a-cursor', marketA)).code).to.equal('INVALID_CURSOR');
    const forged = Buffer.from(JSON.stringify({ v: 1, f: 'x', b: '1; DROP', t: 0, e: 0 })).toString(
      'base64url',
    );
    expect(refusal(() => decodeEventCursor(forged, marketA)).code).to.equal('INVALID_CURSOR');
  });
});

describe('buildEventQuery', () => {
  it('limits a marketplace to its escrows and a party to its own, in ledger order, after the cursor', () => {
    const query = buildEventQuery({
      ...marketA,
      filters: {
        types: ['Released'],
        escrowId: 'esc-1',
        from: '2030-01-01T00:00:00Z',
        to: '2030-02-01T00:00:00Z',
      },
      after: { blockNumber: '5', txIndex: 1, eventIndex: 0 },
    });

    expect(query.text).to.include('(e.buyer_marketplace = $1 OR e.seller_marketplace = $1)');
    expect(query.text).to.include('t.event_name = ANY($2::text[])');
    expect(query.text).to.include(
      '(t.block_number, t.tx_index, t.event_index) > ($6::bigint, $7::int, $8::int)',
    );
    expect(query.text).to.match(/ORDER BY t\.block_number, t\.tx_index, t\.event_index\nLIMIT \$9$/);
    expect(query.values).to.deep.equal([
      'MarketA',
      ['Released'],
      'esc-1',
      '2030-01-01T00:00:00Z',
      '2030-02-01T00:00:00Z',
      '5',
      1,
      0,
      3,
    ]);
    const party = buildEventQuery({
      ...marketA,
      scope: { kind: 'party', party: { marketplace: 'MarketB', userId: 'bob' } },
    });
    expect(party.text).to.include('e.buyer_user_id = $2');
    expect(buildEventQuery({ ...marketA, scope: { kind: 'all' } }).text).not.to.include('WHERE');
  });

  it('cuts limit + 1 rows into a page with the cursor of the next one', () => {
    const row = (block: string) => ({ block_number: block, tx_index: 0, event_index: 0, message: { block } });

    const page = toEventPage(marketA, [row('1'), row('2'), row('3')]);

    expect(page.records).to.deep.equal([{ block: '1' }, { block: '2' }]);
    expect(decodeEventCursor(page.nextCursor ?? '', marketA)).to.deep.equal({
      blockNumber: '2',
      txIndex: 0,
      eventIndex: 0,
    });
    expect(toEventPage(marketA, [row('1')])).to.deep.equal({ records: [{ block: '1' }] });
  });
});
