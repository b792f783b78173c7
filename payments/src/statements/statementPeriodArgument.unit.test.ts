import { expect } from 'chai';
import { statementPeriodOf, StatementPeriodError } from './statementPeriodArgument';

const DAY = 24 * 3600;
const NOW = Date.parse('2026-11-30T04:40:00Z');

describe('the period an operator names with --period', () => {
  it('takes a period id as the ledger names it', () => {
    expect(statementPeriodOf('20261129T000000Z', DAY, NOW)).to.equal('20261129T000000Z');
  });

  it('takes an ISO-8601 instant as the period it falls in', () => {
    expect(statementPeriodOf('2026-11-29T13:14:15Z', DAY, NOW)).to.equal('20261129T000000Z');
    expect(statementPeriodOf('2026-11-30T00:00:25+00:00', 20, NOW)).to.equal('20261130T000020Z');
  });

  it('takes n as the period n periods before the current one', () => {
    expect(statementPeriodOf('0', DAY, NOW)).to.equal('20261130T000000Z');
    expect(statementPeriodOf('1', DAY, NOW)).to.equal('20261129T000000Z');
    expect(statementPeriodOf('3', 20, NOW)).to.equal('20261130T043900Z');
  });

  it('refuses text that names no period, and an id that does not start a period', () => {
    for (const bad of ['', 'yesterday', '2026-13-45', '20261129T000000', '-1', '2026-11-29T00:00:00'])
      expect(() => statementPeriodOf(bad, DAY, NOW), bad).to.throw(
        StatementPeriodError,
        /STATEMENT_PERIOD_INVALID/,
      );
    expect(() => statementPeriodOf('20261129T000010Z', DAY, NOW)).to.throw(StatementPeriodError);
  });
});
