import { expect } from 'chai';
import { countByState, timelineOf, type HistoryEntryView } from './timeline';

const tx = (n: number) => n.toString(16).padStart(64, '0');
const entry = (n: number, block: string, state: string | null): HistoryEntryView => ({
  txId: tx(n),
  blockNumber: block,
  timestamp: `2026-01-0${String(n)}T00:00:00Z`,
  isDelete: state === null,
  escrow: state === null ? null : { state },
});

describe('console audit timeline', () => {
  it('joins each history entry with its proof transition and endorsing orgs', () => {
    const rows = timelineOf(
      [entry(1, '7', 'CREATED'), entry(2, '9', 'FUNDED')],
      [
        { txId: tx(1), blockNumber: '7', validationCode: 0 },
        { txId: tx(2), blockNumber: '9', validationCode: 0 },
      ],
      new Map([[tx(1), ['MarketAMSP', 'MarketBMSP']]]),
    );
    expect(rows.map((row) => [row.state, row.mark, row.endorsingOrgs])).to.deep.equal([
      ['CREATED', 'in-proof-valid', ['MarketAMSP', 'MarketBMSP']],
      ['FUNDED', 'in-proof-valid', []],
    ]);
  });

  it('marks a transition the proof lacks, or holds in another block, or that its peer invalidated', () => {
    const rows = timelineOf(
      [entry(1, '7', 'CREATED'), entry(2, '9', 'FUNDED'), entry(3, '10', null)],
      [
        { txId: tx(2), blockNumber: '8', validationCode: 0 },
        { txId: tx(3), blockNumber: '10', validationCode: 11 },
      ],
      new Map(),
    );
    expect(rows.map((row) => [row.state, row.mark])).to.deep.equal([
      ['CREATED', 'not-in-proof'],
      ['FUNDED', 'not-in-proof'],
      ['DELETED', 'in-proof-invalid'],
    ]);
  });

  it('counts escrows per state in the order asked', () => {
    expect(
      countByState(
        [{ state: 'FUNDED' }, { state: 'CREATED' }, { state: 'FUNDED' }],
        ['CREATED', 'FUNDED', 'RELEASED'],
      ),
    ).to.deep.equal([
      { state: 'CREATED', count: 1 },
      { state: 'FUNDED', count: 2 },
      { state: 'RELEASED', count: 0 },
    ]);
  });
});
