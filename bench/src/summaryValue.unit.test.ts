import { expect } from 'chai';
import { summaryCell } from './summaryValue';

describe('summary cells', () => {
  it('shows a number or a sentence as it is', () => {
    expect(summaryCell(79.7)).to.equal('79.7');
    expect(summaryCell('BENCH_REBUILD=0')).to.equal('BENCH_REBUILD=0');
  });

  it('shows named numbers on one row, in their order', () => {
    expect(summaryCell({ txToPostgres: 0.853, txToKafka: 0.988 })).to.equal(
      'txToPostgres 0.853, txToKafka 0.988',
    );
  });
});
