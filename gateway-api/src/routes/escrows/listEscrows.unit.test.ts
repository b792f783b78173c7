// The search's date filters as the projection's store receives them. Found by the API fuzzing run:
// GET /v1/escrows?createdTo=1040-11-08T12:00:26.6%2B21:06 (a date-time the document admits) reached
// PostgreSQL as written, which refuses an offset past ±15:59, and was answered 500.
import { expect } from 'chai';
import { ApiError } from '../../errors/apiError';
import { searchFilters } from './listEscrows';

describe('escrow search filters', () => {
  it('hands a date filter with an offset PostgreSQL refuses on as the UTC instant it names', () => {
    const filters = searchFilters({
      createdTo: '1040-11-08T12:00:26.6+21:06',
      updatedFrom: '0914-03-08T21:58:09.1-16:02',
    });
    expect(filters.createdTo).to.equal('1040-11-07T14:54:26.600Z');
    expect(filters.updatedFrom).to.equal('0914-03-09T14:00:09.100Z');
  });

  it('keeps a bound that falls outside the years PostgreSQL holds at the nearest one', () => {
    const filters = searchFilters({
      createdFrom: '0001-01-01T00:00:00+23:59',
      updatedTo: '9999-12-31T23:59:59-23:59',
    });
    expect(filters.createdFrom).to.equal('0001-01-01T00:00:00.000Z');
    expect(filters.updatedTo).to.equal('9999-12-31T23:59:59.999Z');
  });

  it('refuses a date filter that names no instant (400 INVALID_QUERY)', () => {
    let refused: unknown;
    try {
      searchFilters({ createdFrom: 'not a date' });
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(ApiError);
    expect(refused).to.include({ status: 400, code: 'INVALID_QUERY' });
  });
});
